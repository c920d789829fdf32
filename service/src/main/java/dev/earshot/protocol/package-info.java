/**
 * Protocol v1's JSON: the client's messages ({@link dev.earshot.protocol.ClientMessage},
 * {@link dev.earshot.protocol.SessionConfig}), the server's events
 * ({@link dev.earshot.protocol.ServerEvents}) and the error codes. No transport and no Riva
 * requests here: the WebSocket is {@code ws}, what Riva is asked is {@code riva}.
 */
package dev.earshot.protocol;

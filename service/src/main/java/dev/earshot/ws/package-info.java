/**
 * The socket: step one of the data path. {@link dev.earshot.ws.TranscribeUpgrader} takes the
 * HTTP/1.1 upgrade on {@code /api/v1/transcribe[/{session_id}]} (or leaves it to
 * {@link dev.earshot.ws.UpgradeRefusals}), {@link dev.earshot.ws.TranscribeConnection} reads and
 * decodes the client's frames on the connection's virtual thread and hands each message to its
 * {@link dev.earshot.session.Session}, and {@link dev.earshot.ws.WsSessionSocket} writes the
 * session's events back. Everything RFC 6455 defines (opcodes, the handshake key, close codes)
 * lives here and nowhere else.
 */
package dev.earshot.ws;

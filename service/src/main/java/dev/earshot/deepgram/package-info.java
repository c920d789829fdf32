/**
 * Deepgram's listen API ({@code /v1/listen}) as a second front door onto the same sessions: a
 * Deepgram client (the official SDKs, voice-agent frameworks' STT plugins) moves to Riva by
 * changing its base URL. The query parameters become a {@code protocol.SessionConfig}
 * ({@link dev.earshot.deepgram.ListenParameters}), the live WebSocket is an ordinary
 * {@code session.Session} written in Deepgram's messages ({@link dev.earshot.deepgram.ListenDialect},
 * through the {@code ws} upgrader's {@link dev.earshot.ws.WsEndpoint} hook), and pre-recorded
 * requests go to Riva's {@code Recognize} ({@link dev.earshot.deepgram.ListenResource}). Depends on
 * {@code ws}, {@code session}, {@code protocol} and {@code riva}; only {@code gateway} depends on it.
 */
package dev.earshot.deepgram;

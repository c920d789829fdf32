/**
 * The session: step two of the data path, between a client's socket and its Riva stream.
 * {@link dev.earshot.session.Session} takes the client's messages and, with the first audio,
 * opens a {@link dev.earshot.session.Recognition}: the Riva stream the audio goes on to, whose
 * answers it turns into protocol events ({@link dev.earshot.session.TranscriptMapper}), written
 * back through a {@link dev.earshot.session.ResultRelay}. The session knows its client only as a
 * {@link dev.earshot.session.SessionSocket}, so the WebSocket details stay in {@code ws}. When
 * a Riva stream fails the recognition replaces it: the {@link dev.earshot.session.AudioFeed} keeps
 * the audio no final covered for the new stream, and {@link dev.earshot.session.ResultTimes}
 * keeps the new stream's times on the session's clock.
 * The registry holds the limit of open sessions; the reaper keeps every session's timers.
 */
package dev.earshot.session;

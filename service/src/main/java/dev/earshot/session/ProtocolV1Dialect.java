package dev.earshot.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.protocol.ClientMessage;
import dev.earshot.protocol.ErrorCode;
import dev.earshot.protocol.ProtocolException;
import dev.earshot.protocol.ServerEvents;
import dev.earshot.protocol.SessionConfig;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;

/** Protocol v1 ({@code /api/v1/transcribe}): {@link ClientMessage} in, {@link ServerEvents} out. Stateless. */
public final class ProtocolV1Dialect implements SessionDialect {
    /** The one instance: the dialect keeps nothing per session. */
    public static final ProtocolV1Dialect INSTANCE = new ProtocolV1Dialect();

    private ProtocolV1Dialect() {}

    @Override
    public ClientMessage parse(String text, ObjectMapper json) throws ProtocolException {
        return ClientMessage.parse(text, json);
    }

    @Override
    public void started(SessionSocket out, String sessionId, SessionConfig config) {
        out.send(ServerEvents.started(sessionId, config, out.resumeToken(), out.resumeGrace()));
    }

    @Override
    public void transcript(
            SessionSocket out,
            String sessionId,
            StreamingRecognitionResult result,
            boolean isFinal,
            double streamOffsetSeconds,
            Flush flush) {
        out.sendResult(ServerEvents.transcript(sessionId, result, isFinal), isFinal);
    }

    @Override
    public void recovered(SessionSocket out, String sessionId, int attempt, double replayedSeconds) {
        out.send(ServerEvents.backendRecovered(sessionId, attempt, replayedSeconds));
    }

    @Override
    public void stopped(SessionSocket out, String sessionId, double audioSeconds) {
        out.send(ServerEvents.stopped(sessionId, audioSeconds));
    }

    @Override
    public void error(SessionSocket out, String sessionId, ErrorCode code, String message) {
        out.send(ServerEvents.error(sessionId, code, message));
    }

    @Override
    public void goingAway(SessionSocket out, String sessionId) {
        out.send(ServerEvents.goingAway(sessionId));
    }
}

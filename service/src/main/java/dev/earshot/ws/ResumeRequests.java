package dev.earshot.ws;

import dev.earshot.auth.Principal;
import dev.earshot.session.Session;
import dev.earshot.session.SessionRegistry;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.DirectHandler;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * A handshake that resumes a session ({@code ?resume_token=…&last_seq=N}) rather than opening
 * one, checked before anything is upgraded: an unknown, ended or expired session is answered
 * 404, a wrong token or another principal's session 403, a {@code last_seq} that is not a
 * number 400. The resuming connection has authenticated like any other; it takes no new quota
 * slot, as the session has kept its own.
 */
final class ResumeRequests {
    static final String TOKEN = "resume_token";
    static final String LAST_SEQ = "last_seq";
    private static final System.Logger LOG = System.getLogger(ResumeRequests.class.getName());

    /** The session to resume and the last event its client saw. */
    record Resume(Session session, long lastSeq) {}

    private ResumeRequests() {}

    /** Whether the handshake asks to resume a session. */
    static boolean asks(UriQuery query) {
        return query.contains(TOKEN);
    }

    /** The session {@code caller} may resume, or the HTTP answer why not. */
    static Resume check(UriQuery query, String sessionId, Principal caller, SessionRegistry registry) {
        long lastSeq;
        try {
            lastSeq = query.contains(LAST_SEQ) ? Long.parseLong(query.get(LAST_SEQ)) : 0;
        } catch (NumberFormatException e) {
            throw refusal(Status.BAD_REQUEST_400, "last_seq must be the number of the last event received");
        }
        if (lastSeq < 0) {
            throw refusal(Status.BAD_REQUEST_400, "last_seq must not be negative");
        }
        Optional<Session> found = registry.find(sessionId).filter(Session::resumable);
        if (found.isEmpty()) {
            LOG.log(Level.INFO, "session=" + sessionId + " resume refused: no such session waiting");
            throw refusal(Status.NOT_FOUND_404, "no session " + sessionId + " to resume: unknown, ended or expired");
        }
        Session session = found.get();
        // the token is checked first, so that a wrong one says nothing about who owns the session
        if (!session.resumableWith(query.get(TOKEN)) || !caller.id().equals(session.owner())) {
            LOG.log(Level.WARNING, "session=" + sessionId + " resume refused: wrong token or principal");
            throw refusal(Status.FORBIDDEN_403, "wrong resume_token for session " + sessionId);
        }
        return new Resume(session, lastSeq);
    }

    private static RequestException refusal(Status status, String message) {
        return RequestException.builder()
                .type(DirectHandler.EventType.OTHER)
                .status(status)
                .message(message)
                .safeMessage(true)
                .setKeepAlive(false)
                .build();
    }
}

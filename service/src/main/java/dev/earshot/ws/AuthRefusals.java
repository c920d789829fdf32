package dev.earshot.ws;

import dev.earshot.auth.AuthException;
import dev.earshot.auth.Authentication;
import dev.earshot.auth.Authenticator;
import dev.earshot.auth.Credentials;
import dev.earshot.auth.Principal;
import dev.earshot.auth.QuotaExceededException;
import dev.earshot.auth.Quotas;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * The upgrade's calls to the authenticator, turned into HTTP answers before any upgrade: 401 with
 * {@code WWW-Authenticate: Bearer} for missing or wrong credentials, 429 with {@code Retry-After}
 * for a principal over its quota. Helidon writes them as plain responses and closes the connection.
 */
final class AuthRefusals {
    private static final System.Logger LOG = System.getLogger(AuthRefusals.class.getName());

    private AuthRefusals() {}

    static Authentication authenticate(Authenticator auth, Optional<Credentials> credentials) {
        try {
            return auth.authenticate(credentials);
        } catch (AuthException e) {
            throw RequestException.builder()
                    .type(DirectHandler.EventType.OTHER)
                    .status(Status.UNAUTHORIZED_401)
                    .header(HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"earshot\""))
                    .message(e.getMessage())
                    .safeMessage(true)
                    .setKeepAlive(false)
                    .build();
        }
    }

    static Quotas.Lease admit(Authenticator auth, Principal principal, String sessionId) {
        try {
            return auth.admit(principal);
        } catch (QuotaExceededException e) {
            LOG.log(Level.INFO, "session=" + sessionId + " refused for " + principal.id() + ": " + e.getMessage());
            throw RequestException.builder()
                    .type(DirectHandler.EventType.OTHER)
                    .status(Status.TOO_MANY_REQUESTS_429)
                    .header(HeaderValues.create(HeaderNames.RETRY_AFTER, Long.toString(e.retryAfterSeconds())))
                    .message(e.getMessage())
                    .safeMessage(true)
                    .setKeepAlive(false)
                    .build();
        }
    }
}

package dev.earshot.http;

import dev.earshot.auth.AuthException;
import dev.earshot.auth.Authentication;
import dev.earshot.auth.Authenticator;
import dev.earshot.auth.Credentials;
import dev.earshot.auth.QuotaExceededException;
import dev.earshot.auth.Quotas;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Optional;

/**
 * Credentials for the REST API ({@code /api/v1/sessions}, {@code /api/v1/transcriptions},
 * {@code /api/v1/tokens}): the same {@link Authenticator} as the WebSocket upgrade, 401 with
 * {@code WWW-Authenticate: Bearer} when they are missing or wrong. The caller's
 * {@link Authentication} goes into the request context for the routes. A transcription holds a
 * quota slot like a session while it runs (429 with {@code Retry-After} over the quota).
 * CORS preflights pass without credentials: browsers send none with them.
 */
public final class ApiAuthFilter implements Filter {
    private static final String TRANSCRIPTIONS = "/api/v1/transcriptions";

    private final Authenticator auth;

    public ApiAuthFilter(Authenticator auth) {
        this.auth = auth;
    }

    /** The caller of a request that passed this filter; anonymous when none did. */
    public static Authentication caller(io.helidon.webserver.http.ServerRequest req) {
        return req.context().get(Authentication.class, Authentication.class).orElse(Authentication.ANONYMOUS);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        boolean api = path.startsWith("/api/v1/")
                && !path.startsWith("/api/v1/transcribe/")
                && !path.equals("/api/v1/transcribe");
        if (!api || req.prologue().method() == Method.OPTIONS) {
            chain.proceed();
            return;
        }
        Authentication who;
        try {
            who = auth.authenticate(Credentials.from(req.headers(), req.query()));
        } catch (AuthException e) {
            res.status(Status.UNAUTHORIZED_401)
                    .header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"earshot\"")
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(HttpErrors.body("unauthenticated", e.getMessage()));
            return;
        }
        req.context().register(Authentication.class, who);
        if (!path.startsWith(TRANSCRIPTIONS)) {
            chain.proceed();
            return;
        }
        Optional<Quotas.Lease> lease = Optional.empty();
        try {
            lease = Optional.of(auth.admit(who.principal()));
        } catch (QuotaExceededException e) {
            res.status(Status.TOO_MANY_REQUESTS_429)
                    .header(HeaderNames.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(HttpErrors.body("quota_exceeded", e.getMessage()));
            return;
        }
        try {
            chain.proceed();
        } finally {
            lease.get().close();
        }
    }
}

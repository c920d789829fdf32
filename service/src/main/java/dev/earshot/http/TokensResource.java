package dev.earshot.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.auth.Authentication;
import dev.earshot.auth.Authenticator;
import dev.earshot.auth.TokenSigner;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /api/v1/tokens}: a short-lived token for the caller's API key, optional body
 * {@code {"ttl_seconds": n}} within {@code auth.token-ttl}; answers
 * {@code {"token": ..., "expires_at": ...}} with {@code Cache-Control: no-store}. A browser app's
 * backend calls this with its key and hands the token to the page, which opens sessions with it.
 * Only an API key itself mints tokens (403 for a token or JWT); without API keys there are none (404).
 */
public final class TokensResource implements HttpService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Authenticator auth;

    public TokensResource(Authenticator auth) {
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::issue);
    }

    private void issue(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (!auth.issuesTokens()) {
            res.status(Status.NOT_FOUND_404)
                    .send(HttpErrors.body("not_found", "this gateway issues no tokens (auth.mode has no api-key)"));
            return;
        }
        Authentication caller = ApiAuthFilter.caller(req);
        if (caller.method() != Authentication.Method.API_KEY) {
            res.status(Status.FORBIDDEN_403)
                    .send(HttpErrors.body("forbidden", "tokens are issued for API keys only, not for tokens or JWTs"));
            return;
        }
        Optional<Duration> ttl;
        try {
            ttl = ttl(req);
        } catch (IllegalArgumentException e) {
            res.status(Status.BAD_REQUEST_400).send(HttpErrors.body("invalid_message", e.getMessage()));
            return;
        }
        TokenSigner.IssuedToken token;
        try {
            token = auth.issueToken(caller, ttl);
        } catch (IllegalArgumentException e) {
            res.status(Status.BAD_REQUEST_400).send(HttpErrors.body("invalid_message", e.getMessage()));
            return;
        }
        res.header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(JSON.createObjectNode()
                        .put("token", token.token())
                        .put("expires_at", token.expiresAt().toString())
                        .toString());
    }

    private static Optional<Duration> ttl(ServerRequest req) {
        String body = req.content().hasEntity() ? req.content().as(String.class) : "";
        if (body.isBlank()) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body must be JSON: {\"ttl_seconds\": n}");
        }
        JsonNode ttl = node.path("ttl_seconds");
        if (ttl.isMissingNode() || ttl.isNull()) {
            return Optional.empty();
        }
        if (!ttl.canConvertToLong() || !ttl.isIntegralNumber()) {
            throw new IllegalArgumentException("ttl_seconds must be a whole number of seconds");
        }
        return Optional.of(Duration.ofSeconds(ttl.asLong()));
    }
}

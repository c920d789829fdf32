package dev.earshot.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * CORS for the HTTP API from the same origin list as the WebSocket: an allowed origin gets its
 * {@code Access-Control-Allow-Origin}, a preflight is answered here, and a request from any other
 * browser origin is refused with 403.
 */
public final class Cors implements Filter {
    private final OriginPolicy origins;

    public Cors(OriginPolicy origins) {
        this.origins = origins;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        var origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            chain.proceed();
            return;
        }
        if (!origins.allows(origin, req.headers().first(HeaderNames.HOST))) {
            res.status(Status.FORBIDDEN_403)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(HttpErrors.body(
                            "forbidden_origin", "origin " + origin.get() + " is not in server.allowed-origins"));
            return;
        }
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get());
        res.header(HeaderNames.VARY, "Origin");
        if (req.prologue().method() == Method.OPTIONS
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type, Authorization");
            res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
            res.status(Status.NO_CONTENT_204).send();
            return;
        }
        chain.proceed();
    }
}

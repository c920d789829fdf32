package dev.earshot.ws;

import dev.earshot.http.HttpErrors;
import dev.earshot.http.OriginPolicy;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Plain HTTP requests to the WebSocket path: what a refused upgrade turns into. A browser
 * origin that is not allowed gets 403, a malformed session id 400, anything else 426 (this path
 * speaks WebSocket only).
 */
public final class UpgradeRefusals implements HttpService {
    private final OriginPolicy origins;

    public UpgradeRefusals(OriginPolicy origins) {
        this.origins = origins;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::refuse).get("/{id}", this::refuse);
    }

    private void refuse(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (!origins.allows(
                req.headers().first(HeaderNames.ORIGIN), req.headers().first(HeaderNames.HOST))) {
            res.status(Status.FORBIDDEN_403)
                    .send(HttpErrors.body(
                            "forbidden_origin", "this origin may not open sessions (server.allowed-origins)"));
        } else if (req.path()
                .pathParameters()
                .first("id")
                .map(id -> !SessionIds.isValid(id))
                .orElse(false)) {
            res.status(Status.BAD_REQUEST_400)
                    .send(HttpErrors.body(
                            "invalid_session_id", "session ids are 1-64 characters of A-Z a-z 0-9 . _ -"));
        } else {
            res.status(Status.UPGRADE_REQUIRED_426)
                    .header(HeaderNames.UPGRADE, "websocket")
                    .send(HttpErrors.body("upgrade_required", "this endpoint speaks WebSocket (protocol v1)"));
        }
    }
}

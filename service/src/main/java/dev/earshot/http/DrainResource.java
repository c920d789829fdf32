package dev.earshot.http;

import dev.earshot.session.SessionRegistry;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;

/**
 * {@code /admin/drain} on the admin listener: how the operator takes a replica out of service
 * before it removes it, without cutting a session. {@code POST} starts draining (readiness goes
 * down, so the Service stops sending new sessions; a new session that still arrives is refused
 * with {@code capacity_exceeded}; live sessions go on untouched), {@code DELETE} takes it back
 * because the load returned, {@code GET} only reports. Each answers
 * {@code {"draining": …, "sessions": …}}, so the caller sees how many sessions are left without a
 * second request. All three are idempotent; {@code DELETE} answers 409 once SIGTERM has started
 * the shutdown, which cannot be taken back.
 */
public final class DrainResource implements HttpService {
    private static final System.Logger LOG = System.getLogger(DrainResource.class.getName());
    private final SessionRegistry registry;

    public DrainResource(SessionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> answer(res, Status.OK_200))
                .post("/", this::drain)
                .delete("/", this::undrain);
    }

    private void drain(ServerRequest req, ServerResponse res) {
        if (registry.drain()) {
            LOG.log(
                    Level.INFO,
                    "draining on request: " + registry.active() + " live sessions go on, new ones are refused");
        }
        answer(res, Status.OK_200);
    }

    private void undrain(ServerRequest req, ServerResponse res) {
        boolean wasDraining = registry.draining();
        if (!registry.undrain()) {
            answer(res, Status.CONFLICT_409);
            return;
        }
        if (wasDraining) {
            LOG.log(Level.INFO, "drain taken back on request: admitting sessions again");
        }
        answer(res, Status.OK_200);
    }

    private void answer(ServerResponse res, Status status) {
        res.status(status)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send("{\"draining\":" + registry.draining() + ",\"sessions\":" + registry.active() + "}");
    }
}

package dev.earshot.gateway;

import java.util.function.BooleanSupplier;

import dev.earshot.http.Cors;
import dev.earshot.http.OriginPolicy;
import dev.earshot.http.SessionsResource;
import dev.earshot.http.StaticFiles;
import dev.earshot.http.TranscriptionsResource;
import dev.earshot.http.UpgradeRefusals;
import dev.earshot.metrics.MetricsResource;
import dev.earshot.session.SessionContext;
import dev.earshot.ws.SessionIds;
import dev.earshot.ws.TranscribeProtocol;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;

/**
 * The gateway's routes, in one place for {@code main} and the tests: the protocol v1 WebSocket,
 * the REST API with CORS, the demo page at {@code /} (same origin as the WebSocket, so the origin
 * rules let it in without configuration), and the observability endpoints ({@code /observe/health/live},
 * {@code /observe/health/ready}, and {@code /observe/metrics} in Prometheus text).
 */
public final class Gateway {
    private Gateway() {
    }

    /**
     * Adds every route to a server being built.
     *
     * @param ready whether this replica should receive new sessions (not draining, Riva answers)
     */
    public static void routing(WebServerConfig.Builder server, SessionContext ctx, OriginPolicy origins,
                               BooleanSupplier ready) {
        server.addProtocol(new TranscribeProtocol(ctx, origins));
        server.addRouting(HttpRouting.builder()
                                  .addFilter(new Cors(origins))
                                  .register(SessionIds.BASE_PATH, new UpgradeRefusals(origins))
                                  .register("/api/v1/sessions", new SessionsResource(ctx.registry()))
                                  .register("/api/v1/transcriptions",
                                            new TranscriptionsResource(ctx.riva(), 64L * 1024 * 1024))
                                  .register("/observe/metrics", new MetricsResource(ctx.metrics()))
                                  .register(StaticFiles.demoPage()));
        server.addFeature(ObserveFeature.builder()
                                                      .addObserver(HealthObserver.builder()
                                                                           .details(true)
                                                                           .useSystemServices(false)
                                                                           .addCheck(() -> HealthCheckResponse.builder()
                                                                                             .status(ready.getAsBoolean())
                                                                                             .build(),
                                                                                     HealthCheckType.READINESS,
                                                                                     "riva-and-not-draining")
                                                                           .build())
                                                      .build());
    }
}

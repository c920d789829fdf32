package dev.earshot.gateway;

import dev.earshot.deepgram.DeepgramSettings;
import dev.earshot.deepgram.ListenEndpoint;
import dev.earshot.deepgram.ListenResource;
import dev.earshot.http.Cors;
import dev.earshot.http.OriginPolicy;
import dev.earshot.http.RestSettings;
import dev.earshot.http.SessionsResource;
import dev.earshot.http.StaticFiles;
import dev.earshot.http.TranscriptionsResource;
import dev.earshot.metrics.MetricsResource;
import dev.earshot.session.SessionContext;
import dev.earshot.ws.HandshakeTokens;
import dev.earshot.ws.SessionIds;
import dev.earshot.ws.TranscribeProtocol;
import dev.earshot.ws.UpgradeRefusals;
import dev.earshot.ws.WsEndpoint;
import io.helidon.common.socket.SocketOptions;
import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.StandardSocketOptions;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The gateway's routes, in one place for {@code main} and the tests: the protocol v1 WebSocket,
 * the REST API with CORS, the demo page at {@code /} (same origin as the WebSocket, so the origin
 * rules let it in without configuration), and the observability endpoints ({@code /observe/health/live},
 * {@code /observe/health/ready}, and {@code /observe/metrics}: the Prometheus scrape of {@code meters}).
 */
public final class Gateway {
    /**
     * Kernel receive buffer of every connection, unless {@code server.receive-buffer-size} or
     * {@code server.connection-options.socket-receive-buffer-size} says otherwise. Helidon 4.2.0
     * set 4 KB on its listener: a 100 ms chunk of 16 kHz audio (3.2 KB) then nearly fills the TCP window,
     * arrives in two segments and draws a window update, about five segments per chunk round trip
     * where two or three do (docs/performance.md). 64 KB holds two seconds of such audio; the
     * kernel only takes the memory while data waits to be read.
     */
    static final int RECEIVE_BUFFER_BYTES = 64 * 1024;

    private Gateway() {}

    /**
     * The listener's settings: first Helidon's own, read from the {@code server} configuration node
     * (so {@code max-tcp-connections}, {@code idle-connection-timeout}, {@code connection-options.*},
     * {@code max-payload-size} and the rest can be tuned without code), then Earshot's defaults for
     * many long-lived streaming connections where that node is silent: a receive buffer that holds
     * whole audio chunks, no Nagle delay, since results are small messages that should leave
     * at once rather than wait behind an unacknowledged one, and the blocking socket rather than
     * the NIO one ({@code use-nio: false}). Helidon 4.5.0 made NIO its default; its {@code NioSocket}
     * holds an 8 KB heap write buffer per connection besides the 8 KB read buffer both sockets have,
     * which cost about 8 KB of resident memory per idle session (docs/performance.md). The HTTP/1
     * protocol gets {@link HandshakeTokens}: WebSocket handshake tokens in any letter case.
     */
    static void connections(WebServerConfig.Builder server, Config listener) {
        server.config(listener);
        HandshakeTokens.install(server, listener);
        if (!listener.get("receive-buffer-size").exists()
                && !listener.get("connection-options.socket-receive-buffer-size")
                        .exists()) {
            server.putListenerSocketOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
        }
        if (!listener.get("use-nio").exists()) {
            server.useNio(false);
        }
        if (!listener.get("connection-options.tcp-no-delay").exists()) {
            SocketOptions.Builder options = SocketOptions.builder();
            server.connectionOptions().ifPresent(options::from);
            server.connectionOptions(options.tcpNoDelay(true).build());
        }
    }

    /**
     * Adds every route to a server being built.
     *
     * @param meters the registry that {@code ctx.metrics()} and the JVM's meters are registered on
     * @param rest   the REST API's limits
     * @param ready  whether this replica should receive new sessions (not draining, Riva answers)
     */
    public static void routing(
            WebServerConfig.Builder server,
            SessionContext ctx,
            PrometheusMeterRegistry meters,
            OriginPolicy origins,
            RestSettings rest,
            BooleanSupplier ready) {
        routing(server, ctx, meters, origins, rest, ready, DeepgramSettings.defaults());
    }

    /**
     * Adds every route to a server being built, Deepgram's listen API ({@code /v1/listen}) as
     * {@code deepgram} says: its WebSocket through the same upgrader as protocol v1, its REST
     * beside Earshot's.
     */
    public static void routing(
            WebServerConfig.Builder server,
            SessionContext ctx,
            PrometheusMeterRegistry meters,
            OriginPolicy origins,
            RestSettings rest,
            BooleanSupplier ready,
            DeepgramSettings deepgram) {
        List<WsEndpoint> endpoints = deepgram.enabled() ? List.of(new ListenEndpoint(ctx, deepgram)) : List.of();
        server.addProtocol(new TranscribeProtocol(ctx, origins, endpoints));
        HttpRouting.Builder routes = HttpRouting.builder().addFilter(new Cors(origins));
        if (deepgram.enabled()) {
            routes.register(ListenEndpoint.PATH, new ListenResource(ctx.riva(), deepgram, 64L * 1024 * 1024));
        }
        server.addRouting(routes.register(SessionIds.BASE_PATH, new UpgradeRefusals(origins))
                .register("/api/v1/sessions", new SessionsResource(ctx.registry()))
                .register("/api/v1/transcriptions", new TranscriptionsResource(ctx.riva(), rest))
                .register("/observe/metrics", new MetricsResource(meters))
                .register(StaticFiles.demoPage()));
        server.addFeature(ObserveFeature.builder()
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .useSystemServices(false)
                        .addCheck(
                                () -> HealthCheckResponse.builder()
                                        .status(ready.getAsBoolean())
                                        .build(),
                                HealthCheckType.READINESS,
                                "riva-and-not-draining")
                        .build())
                .build());
    }
}

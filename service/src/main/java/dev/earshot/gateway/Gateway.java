package dev.earshot.gateway;

import dev.earshot.auth.Authenticator;
import dev.earshot.deepgram.DeepgramSettings;
import dev.earshot.deepgram.ListenEndpoint;
import dev.earshot.deepgram.ListenResource;
import dev.earshot.http.ApiAuthFilter;
import dev.earshot.http.Cors;
import dev.earshot.http.DrainResource;
import dev.earshot.http.OriginPolicy;
import dev.earshot.http.RestLimits;
import dev.earshot.http.RestSettings;
import dev.earshot.http.SessionsResource;
import dev.earshot.http.StaticFiles;
import dev.earshot.http.TokensResource;
import dev.earshot.http.TranscriptionsResource;
import dev.earshot.listener.ConnectionGuard;
import dev.earshot.listener.ConnectionLimits;
import dev.earshot.listener.TlsHandshakeDeadline;
import dev.earshot.metrics.MetricsResource;
import dev.earshot.session.SessionContext;
import dev.earshot.session.SessionRegistry;
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
 * The gateway's routes, in one place for {@code main} and the tests. The public listener has the
 * protocol v1 WebSocket, the REST API with CORS, and the demo page at {@code /} (same origin as the
 * WebSocket, so the origin rules let it in without configuration). The admin listener
 * ({@code server.admin-port}) has what only the cluster should see: {@code /observe/health/live},
 * {@code /observe/health/ready}, {@code /observe/metrics} (the Prometheus scrape of {@code meters}),
 * {@code /admin/sessions} (every session, whoever owns it) and {@code /admin/drain} (the operator
 * drains a replica before it removes it). Two listeners rather than a path
 * rule on one: a port is what a NetworkPolicy, a Service and a load balancer can keep private.
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

    /**
     * Kernel send buffer of every connection, unless
     * {@code server.connection-options.socket-send-buffer-size} says otherwise. Left to Linux, the
     * buffer of a connection whose client stops reading grows to {@code tcp_wmem}'s maximum (4 MB
     * here): at a session's result rate (about 2 KB/s) the gateway's writes would not block for half
     * an hour, so {@code sessions.write-timeout} could not notice the client, and every such client
     * would hold megabytes of kernel memory. A fixed 64 KB (the kernel doubles it) still holds
     * hundreds of results, or a demo page file, without a wait.
     */
    static final int SEND_BUFFER_BYTES = 64 * 1024;

    /** Name of the admin listener among Helidon's sockets. */
    public static final String ADMIN_SOCKET = "admin";

    private Gateway() {}

    /**
     * The listener's settings: first Helidon's own, read from the {@code server} configuration node
     * (so {@code max-tcp-connections}, {@code idle-connection-timeout}, {@code connection-options.*},
     * {@code max-payload-size} and the rest can be tuned without code), then Earshot's defaults for
     * many long-lived streaming connections where that node is silent: a receive buffer that holds
     * whole audio chunks, a fixed send buffer ({@link #SEND_BUFFER_BYTES}) so that a client that
     * stops reading is noticed, no Nagle delay, since results are small messages that should leave
     * at once rather than wait behind an unacknowledged one, and the blocking socket rather than
     * the NIO one ({@code use-nio: false}). Helidon 4.5.0 made NIO its default; its {@code NioSocket}
     * holds an 8 KB heap write buffer per connection besides the 8 KB read buffer both sockets have,
     * which cost about 8 KB of resident memory per idle session (docs/performance.md). The HTTP/1
     * protocol gets {@link HandshakeTokens}: WebSocket handshake tokens in any letter case; and,
     * unless both are off, a {@link ConnectionGuard} for Earshot's own {@code header-timeout} and
     * {@code max-connections-per-ip}, which Helidon has no settings for; with {@code tls}, the
     * handshake gets the head's deadline too ({@link TlsHandshakeDeadline}).
     *
     * @return the guard, to be closed after the server has stopped
     */
    static ConnectionGuard connections(WebServerConfig.Builder server, Config listener) {
        server.config(listener);
        ConnectionLimits limits = ConnectionLimits.from(listener);
        ConnectionGuard guard = new ConnectionGuard(limits);
        HandshakeTokens.install(server, listener, guard.enabled() ? List.of(guard) : List.of());
        guard.install(server);
        if (!listener.get("receive-buffer-size").exists()
                && !listener.get("connection-options.socket-receive-buffer-size")
                        .exists()) {
            server.putListenerSocketOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
        }
        if (!listener.get("use-nio").exists()) {
            server.useNio(false);
        }
        TlsHandshakeDeadline.install(server, limits.headerTimeout());
        boolean noDelaySet = listener.get("connection-options.tcp-no-delay").exists();
        boolean sendBufferSet =
                listener.get("connection-options.socket-send-buffer-size").exists();
        if (!noDelaySet || !sendBufferSet) {
            SocketOptions.Builder options = SocketOptions.builder();
            server.connectionOptions().ifPresent(options::from);
            if (!noDelaySet) {
                options.tcpNoDelay(true);
            }
            if (!sendBufferSet) {
                options.socketSendBufferSize(SEND_BUFFER_BYTES);
            }
            server.connectionOptions(options.build());
        }
        return guard;
    }

    /**
     * Adds every route of the public listener to a server being built: protocol v1 and, as
     * {@code deepgram} says, Deepgram's listen API ({@code /v1/listen}: its WebSocket through the
     * same upgrader as protocol v1, its REST beside Earshot's). Every route that opens a session or
     * lists them asks {@code auth} first.
     *
     * @param rest the REST API's limits
     */
    public static void routing(
            WebServerConfig.Builder server,
            SessionContext ctx,
            OriginPolicy origins,
            Authenticator auth,
            RestSettings rest,
            DeepgramSettings deepgram) {
        List<WsEndpoint> endpoints = deepgram.enabled() ? List.of(new ListenEndpoint(ctx, deepgram)) : List.of();
        RestLimits limits = new RestLimits(rest);
        server.addProtocol(new TranscribeProtocol(ctx, origins, auth, endpoints));
        HttpRouting.Builder routes =
                HttpRouting.builder().addFilter(new Cors(origins)).addFilter(new ApiAuthFilter(auth));
        if (deepgram.enabled()) {
            routes.register(ListenEndpoint.PATH, new ListenResource(ctx.riva(), deepgram, auth, origins, limits));
        }
        server.addRouting(routes.register(SessionIds.BASE_PATH, new UpgradeRefusals(origins))
                .register("/api/v1/sessions", new SessionsResource(ctx.registry()))
                .register("/api/v1/tokens", new TokensResource(auth))
                .register("/api/v1/transcriptions", new TranscriptionsResource(ctx.riva(), limits))
                .register(StaticFiles.demoPage()));
    }

    /**
     * Adds the admin listener, its routes and the health observer (on that listener only).
     *
     * @param meters the registry that {@code ctx.metrics()} and the JVM's meters are registered on
     * @param ready  whether this replica should receive new sessions (not draining, Riva answers)
     */
    public static void admin(
            WebServerConfig.Builder server,
            String host,
            int port,
            SessionRegistry registry,
            PrometheusMeterRegistry meters,
            BooleanSupplier ready) {
        server.putSocket(ADMIN_SOCKET, socket -> socket.host(host).port(port));
        server.routing(
                ADMIN_SOCKET,
                routes -> routes.register("/observe/metrics", new MetricsResource(meters))
                        .register("/admin/sessions", new SessionsResource(registry))
                        .register("/admin/drain", new DrainResource(registry)));
        server.addFeature(ObserveFeature.builder()
                .sockets(List.of(ADMIN_SOCKET))
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

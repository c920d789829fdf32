package dev.earshot.gateway;

import dev.earshot.asr.AsrServer;
import dev.earshot.auth.Authenticator;
import dev.earshot.grpc.GrpcEventLoop;
import dev.earshot.listener.ConnectionGuard;
import dev.earshot.metrics.GatewayMetrics;
import dev.earshot.metrics.JvmMeters;
import dev.earshot.protocol.ServerEvents;
import dev.earshot.riva.RivaClient;
import dev.earshot.riva.RivaConfig;
import dev.earshot.session.Session;
import dev.earshot.session.SessionContext;
import dev.earshot.session.SessionReaper;
import dev.earshot.session.SessionRegistry;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code earshot serve}: the embedded recognizer (unless {@code riva.endpoint} points elsewhere),
 * the Riva client, the session registry and the web server, started in that order and stopped in
 * reverse. {@link #shutdown()} drains: readiness goes down and new sessions are refused at once,
 * live ones may finish for {@code server.drain-seconds}, then get {@code going_away} and 1001.
 */
public final class GatewayServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());

    private final GatewayConfig config;
    private final AsrServer asr;
    private final GrpcEventLoop grpc;
    private final RivaClient riva;
    private final SessionRegistry registry;
    private final SessionReaper reaper;
    private final WebServer server;
    private final PrometheusMeterRegistry meters;
    private final JvmMeters jvmMeters;
    private final ConnectionGuard guard;
    private volatile boolean stopped;

    private GatewayServer(
            GatewayConfig config,
            GrpcEventLoop grpc,
            AsrServer asr,
            RivaClient riva,
            SessionRegistry registry,
            SessionReaper reaper,
            WebServer server,
            PrometheusMeterRegistry meters,
            JvmMeters jvmMeters,
            ConnectionGuard guard) {
        this.config = config;
        this.asr = asr;
        this.grpc = grpc;
        this.riva = riva;
        this.registry = registry;
        this.reaper = reaper;
        this.server = server;
        this.meters = meters;
        this.jvmMeters = jvmMeters;
        this.guard = guard;
    }

    /** Starts everything; returns once the port is open. */
    public static GatewayServer start(GatewayConfig config) {
        return start(config, InstantSource.system());
    }

    /**
     * Starts everything with {@code clock} for token expiry and quota refills (tests move it).
     *
     * @throws IllegalArgumentException when a file that {@code auth.*} names cannot be used
     */
    public static GatewayServer start(GatewayConfig config, InstantSource clock) {
        Authenticator auth = Authenticator.create(config.auth(), clock);
        GrpcEventLoop grpc = GrpcEventLoop.create();
        AsrServer asr = null;
        RivaConfig rivaConfig = config.riva();
        RivaClient riva;
        if (rivaConfig.embedded()) {
            asr = AsrServer.start(config.asr(), grpc);
            rivaConfig = rivaConfig.withEndpoint("in-process:" + asr.inProcessName());
            riva = RivaClient.inProcess(rivaConfig, asr.inProcessName());
        } else {
            riva = new RivaClient(rivaConfig, grpc);
        }
        OptionalInt decoders = asr == null ? OptionalInt.empty() : asr.engine().capacity();
        int limit = config.sessionLimit(decoders);
        SessionRegistry registry = new SessionRegistry(limit);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmMeters jvmMeters = JvmMeters.bindTo(meters);
        GatewayMetrics metrics = new GatewayMetrics(meters, registry::active, registry::capacity);
        SessionContext ctx = new SessionContext(
                registry, riva, config.sessions().withMax(limit), metrics, ServerEvents.MAPPER, config.models());
        WebServerConfig.Builder builder = WebServer.builder();
        ConnectionGuard guard = Gateway.connections(builder, config.listener());
        builder.host(config.host()).port(config.port()).shutdownHook(false);
        Gateway.routing(builder, ctx, config.origins(), auth, config.rest().forDecoders(decoders), config.deepgram());
        Gateway.admin(
                builder,
                config.adminHost(),
                config.adminPort(),
                registry,
                meters,
                () -> !registry.draining() && riva.healthy());
        WebServer server = builder.build().start();
        SessionReaper reaper = new SessionReaper(registry, Duration.ofMillis(250));
        warnIfOpen(config);
        LOG.log(
                Level.INFO,
                "earshot serving on port " + server.port() + ", riva " + rivaConfig.endpoint()
                        + (asr == null
                                ? ""
                                : " (embedded, engine " + config.asr().engine() + ")")
                        + ", sessions.max " + limit
                        + (config.sessionsMaxSet() || decoders.isEmpty() ? "" : " (one per recognizer decoder)")
                        + "; admin (health, metrics) on port " + server.port(Gateway.ADMIN_SOCKET)
                        + "; demo page at http://localhost:" + server.port() + "/");
        return new GatewayServer(config, grpc, asr, riva, registry, reaper, server, meters, jvmMeters, guard);
    }

    /**
     * One WARN line when anyone who reaches the port may use it: no {@code auth.mode} on an address
     * other machines can reach.
     */
    private static void warnIfOpen(GatewayConfig config) {
        if (config.auth().required()) {
            return;
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(config.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            LOG.log(
                    Level.WARNING,
                    "auth.mode is none on " + config.host() + ": anyone who reaches port " + config.port()
                            + " can open sessions on your recognizer; set auth.mode (docs/security.md)");
        }
    }

    public int port() {
        return server.port();
    }

    /** The admin listener's port: health, metrics and every session ({@code server.admin-port}). */
    public int adminPort() {
        return server.port(Gateway.ADMIN_SOCKET);
    }

    /** The embedded recognizer, when this gateway runs one. */
    public AsrServer asr() {
        return asr;
    }

    /**
     * Drains and stops: refuses new sessions, lets live ones run for the drain period, sends
     * {@code going_away} to those still open, then stops the server and the backends.
     */
    public void shutdown() {
        if (stopped) {
            return;
        }
        registry.startDraining();
        LOG.log(
                Level.INFO,
                "draining " + registry.active() + " sessions for up to "
                        + config.drain().toSeconds() + " s");
        waitForSessions(config.drain());
        List<Thread> goodbyes = new ArrayList<>();
        for (Session s : registry.sessions()) {
            s.goAway().ifPresent(goodbyes::add);
        }
        // each goodbye is written on its session's own thread; a client that does not read is
        // dropped after the write timeout, so this wait is bounded by it
        long deadline = System.nanoTime() + config.sessions().writeTimeout().toNanos();
        for (Thread t : goodbyes) {
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    private void waitForSessions(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (registry.active() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops at once, without draining. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        reaper.close();
        server.stop();
        guard.close();
        riva.close();
        if (asr != null) {
            asr.close();
        }
        grpc.close();
        jvmMeters.close();
        meters.close();
        LOG.log(Level.INFO, "earshot stopped");
    }
}

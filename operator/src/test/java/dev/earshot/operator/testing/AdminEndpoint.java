package dev.earshot.operator.testing;

import com.sun.net.httpserver.HttpServer;
import dev.earshot.operator.autoscale.PodAdminUrl;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on 127.0.0.1 (random port) that plays one Earshot pod's admin listener.
 * {@code /observe/metrics}: a Micrometer Prometheus registry like the gateway's, with a settable
 * {@code earshot_sessions_active} and an {@code earshot_draining} beside meters whose names share
 * their prefix, in the format the {@code Accept} header asks for; or an arbitrary body; or HTTP 503
 * while "down". {@code /admin/drain}: the gateway's drain switch (POST, DELETE, GET), answering 503
 * while down.
 */
public final class AdminEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile String body;
    private volatile boolean down;
    private volatile boolean drainSwitch = true;
    private volatile String lastAccept = "";

    public AdminEndpoint() throws IOException {
        Gauge.builder("earshot.sessions.active", sessions, AtomicLong::get).register(registry);
        Gauge.builder("earshot.sessions.capacity", () -> 150).register(registry);
        Gauge.builder("earshot.draining", draining, d -> d.get() ? 1 : 0).register(registry);
        Counter.builder("earshot.sessions")
                .tag("outcome", "completed")
                .register(registry)
                .increment(7);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/observe/metrics", exchange -> {
            List<String> accept = exchange.getRequestHeaders().get("Accept");
            lastAccept = accept == null ? "" : String.join(",", accept);
            ExpositionFormatWriter writer = formats.findWriter(lastAccept);
            byte[] bytes;
            String type = writer.getContentType();
            if (down) {
                bytes = "unavailable\n".getBytes(StandardCharsets.UTF_8);
                type = "text/plain";
            } else if (body != null) {
                bytes = body.getBytes(StandardCharsets.UTF_8);
                type = "text/plain; version=0.0.4";
            } else {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                writer.write(out, registry.getPrometheusRegistry().scrape());
                bytes = out.toByteArray();
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(down ? 503 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.createContext(PodAdminUrl.DRAIN_PATH, exchange -> {
            if (!drainSwitch) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "POST" -> draining.set(true);
                case "DELETE" -> draining.set(false);
                default -> {}
            }
            byte[] bytes = ("{\"draining\":" + draining.get() + ",\"sessions\":" + sessions.get() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(down ? 503 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    /** Plays a gateway older than {@code /admin/drain}: 404 there, and no {@code earshot_draining}. */
    public AdminEndpoint withoutDrainSwitch() {
        drainSwitch = false;
        return body("# TYPE earshot_sessions_active gauge\nearshot_sessions_active " + sessions.get() + "\n");
    }

    /** Whether the operator told this pod to drain (and did not take it back). */
    public boolean draining() {
        return draining.get();
    }

    /** Serves the registry's scrape with this session count. */
    public AdminEndpoint sessions(long value) {
        sessions.set(value);
        body = null;
        return this;
    }

    /** Serves an arbitrary body instead of the registry. */
    public AdminEndpoint body(String value) {
        body = value;
        return this;
    }

    /** Makes the endpoint answer 503 (true) or normally again (false). */
    public AdminEndpoint down(boolean value) {
        down = value;
        return this;
    }

    /** The {@code Accept} header of the last request. */
    public String lastAccept() {
        return lastAccept;
    }

    /** The metrics URL. */
    public URI uri() {
        return PodAdminUrl.resolve(adminUri(), PodAdminUrl.METRICS_PATH);
    }

    /** The base URL of the admin listener, as {@link PodAdminUrl} gives it. */
    public URI adminUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        registry.close();
    }
}

package dev.earshot.operator.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operator's own endpoints for the kubelet and Prometheus: {@code /healthz} (liveness: the
 * operator runs and its informers are healthy), {@code /readyz} (same check) and {@code /metrics}
 * (the Prometheus scrape of the operator's Micrometer registry: text format 0.0.4, or OpenMetrics or
 * protobuf when the {@code Accept} header asks for them, as the Prometheus client negotiates).
 * A JDK HTTP server is plenty for three tiny endpoints and keeps the operator free of a web stack.
 */
public final class OperatorHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final PrometheusMeterRegistry meters;
    private final ExpositionFormats formats = ExpositionFormats.init();

    /**
     * Binds and starts the server.
     *
     * @param address where to listen (port 0 picks a free port)
     * @param healthy whether the operator is healthy
     * @param meters the registry to scrape
     */
    public OperatorHttpServer(InetSocketAddress address, BooleanSupplier healthy, PrometheusMeterRegistry meters)
            throws IOException {
        this.meters = meters;
        server = HttpServer.create(address, 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/healthz", exchange -> health(exchange, healthy));
        server.createContext("/readyz", exchange -> health(exchange, healthy));
        server.createContext("/metrics", this::scrape);
        server.start();
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void scrape(HttpExchange exchange) throws IOException {
        List<String> accept = exchange.getRequestHeaders().get("Accept");
        ExpositionFormatWriter writer = formats.findWriter(accept == null ? "" : String.join(",", accept));
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, meters.getPrometheusRegistry().scrape());
        send(exchange, 200, writer.getContentType(), body.toByteArray());
    }

    private static void health(HttpExchange exchange, BooleanSupplier healthy) throws IOException {
        boolean ok = healthy.getAsBoolean();
        send(
                exchange,
                ok ? 200 : 503,
                "text/plain; charset=utf-8",
                (ok ? "ok\n" : "unhealthy\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

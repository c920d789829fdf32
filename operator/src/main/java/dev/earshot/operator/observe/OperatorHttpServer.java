package dev.earshot.operator.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's own endpoints for the kubelet and Prometheus: {@code /healthz} (liveness: the
 * operator runs and its informers are healthy), {@code /readyz} (same check) and {@code /metrics}.
 * A JDK HTTP server is plenty for three tiny endpoints and keeps the operator free of a web stack.
 */
public final class OperatorHttpServer implements AutoCloseable {

  private final HttpServer server;

  /**
   * Binds and starts the server.
   *
   * @param address where to listen (port 0 picks a free port)
   * @param healthy whether the operator is healthy
   * @param metrics Prometheus text to serve
   */
  public OperatorHttpServer(InetSocketAddress address, BooleanSupplier healthy,
      Supplier<String> metrics) throws IOException {
    server = HttpServer.create(address, 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/healthz", exchange -> health(exchange, healthy));
    server.createContext("/readyz", exchange -> health(exchange, healthy));
    server.createContext("/metrics", exchange ->
        send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
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

  private static void health(HttpExchange exchange, BooleanSupplier healthy) throws IOException {
    boolean ok = healthy.getAsBoolean();
    send(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "unhealthy\n");
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
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

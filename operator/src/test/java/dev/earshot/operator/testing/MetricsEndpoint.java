package dev.earshot.operator.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 (random port) that plays one Earshot pod's
 * {@code /observe/metrics}: Prometheus text with a settable session count, or HTTP 503 while
 * "down".
 */
public final class MetricsEndpoint implements AutoCloseable {

  private final HttpServer server;
  private volatile String body = "";
  private volatile boolean down;

  public MetricsEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/observe/metrics", exchange -> {
      byte[] bytes = (down ? "unavailable\n" : body).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(down ? 503 : 200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  /** Serves the gauge the way Helidon/Micrometer prints it (HELP, TYPE, a labelled sample). */
  public MetricsEndpoint sessions(long sessions) {
    body = "# HELP earshot_sessions_active Live WebSocket sessions\n"
        + "# TYPE earshot_sessions_active gauge\n"
        + "earshot_sessions_active{scope=\"application\"} " + sessions + ".0\n"
        + "# HELP earshot_sessions_refused_total Sessions refused at the limit\n"
        + "# TYPE earshot_sessions_refused_total counter\n"
        + "earshot_sessions_refused_total{scope=\"application\"} 0.0\n";
    return this;
  }

  /** Serves an arbitrary body. */
  public MetricsEndpoint body(String value) {
    body = value;
    return this;
  }

  /** Makes the endpoint answer 503 (true) or normally again (false). */
  public MetricsEndpoint down(boolean value) {
    down = value;
    return this;
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/observe/metrics");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.earshot.operator.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.earshot.operator.autoscale.PrometheusText;
import org.junit.jupiter.api.Test;

class OperatorHttpServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(OperatorHttpServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthFollowsTheOperatorState() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(true);
    try (OperatorHttpServer server = new OperatorHttpServer(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), healthy::get, () -> "")) {
      assertEquals(200, get(server, "/healthz").statusCode());
      assertEquals(200, get(server, "/readyz").statusCode());
      healthy.set(false);
      assertEquals(503, get(server, "/healthz").statusCode());
    }
  }

  @Test
  void metricsCountReconcilesScrapeFailuresAndRescales() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics();
    metrics.reconcileSucceeded();
    metrics.reconcileSucceeded();
    metrics.reconcileFailed();
    metrics.scrapeFailed();
    metrics.rescaled(1, 3);
    metrics.rescaled(3, 3);
    try (OperatorHttpServer server = new OperatorHttpServer(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> true, metrics::render)) {
      HttpResponse<String> response = get(server, "/metrics");
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      String body = response.body();
      assertTrue(body.contains("earshot_operator_reconciles_total{result=\"success\"} 2"), body);
      assertTrue(body.contains("earshot_operator_reconciles_total{result=\"error\"} 1"), body);
      assertEquals(OptionalDouble.of(1), PrometheusText.sum(body, "earshot_operator_scrape_failures_total"));
      assertTrue(body.contains("earshot_operator_rescales_total{direction=\"up\"} 1"), body);
      assertTrue(body.contains("earshot_operator_rescales_total{direction=\"down\"} 0"), body);
    }
  }
}

package dev.earshot.operator.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.autoscale.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OperatorHttpServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(OperatorHttpServer server, String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static OperatorHttpServer server(AtomicBoolean healthy, PrometheusMeterRegistry meters) throws Exception {
        return new OperatorHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), healthy::get, meters);
    }

    @Test
    void healthFollowsTheOperatorState() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(true);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (OperatorHttpServer server = server(healthy, meters)) {
            assertEquals(200, get(server, "/healthz", null).statusCode());
            assertEquals(200, get(server, "/readyz", null).statusCode());
            healthy.set(false);
            assertEquals(503, get(server, "/healthz", null).statusCode());
        }
    }

    @Test
    void metricsCountReconcilesScrapeFailuresAndRescales() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (OperatorHttpServer server = server(new AtomicBoolean(true), meters)) {
            OperatorMetrics metrics = new OperatorMetrics(meters);
            metrics.reconcileSucceeded();
            metrics.reconcileSucceeded();
            metrics.reconcileFailed();
            metrics.scrapeFailed();
            metrics.rescaled(1, 3);
            metrics.rescaled(3, 3);
            HttpResponse<String> response = get(server, "/metrics", null);
            assertEquals(200, response.statusCode());
            assertEquals(
                    "text/plain; version=0.0.4; charset=utf-8",
                    response.headers().firstValue("Content-Type").orElse(""));
            String body = response.body();
            assertTrue(body.contains("# TYPE earshot_operator_reconciles_total counter\n"), body);
            assertTrue(body.contains("earshot_operator_reconciles_total{result=\"success\"} 2.0\n"), body);
            assertTrue(body.contains("earshot_operator_reconciles_total{result=\"error\"} 1.0\n"), body);
            assertTrue(body.contains("earshot_operator_reconciles_total{result=\"invalid_spec\"} 0.0\n"), body);
            assertEquals(OptionalDouble.of(1), PrometheusText.sum(body, "earshot_operator_scrape_failures_total"));
            assertEquals(OptionalDouble.of(0), PrometheusText.sum(body, "earshot_operator_autoscaler_polls_total"));
            assertTrue(body.contains("earshot_operator_rescales_total{direction=\"up\"} 1.0\n"), body);
            assertTrue(body.contains("earshot_operator_rescales_total{direction=\"down\"} 0.0\n"), body);
            assertEquals(3, metrics.reconciles());
            assertEquals(1, metrics.rescales());
            assertEquals(1, metrics.scrapeFailures());
        }
    }

    @Test
    void openMetricsWhenPrometheusAsksForIt() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (OperatorHttpServer server = server(new AtomicBoolean(true), meters)) {
            new OperatorMetrics(meters).polled();
            HttpResponse<String> response = get(
                    server,
                    "/metrics",
                    "application/openmetrics-text;"
                            + "version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
            assertEquals(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                    response.headers().firstValue("Content-Type").orElse(""));
            String body = response.body();
            assertTrue(body.endsWith("# EOF\n"), body);
            assertTrue(body.contains("# TYPE earshot_operator_autoscaler_polls counter\n"), body);
            assertEquals(OptionalDouble.of(1), PrometheusText.sum(body, "earshot_operator_autoscaler_polls_total"));
            assertFalse(get(server, "/metrics", null).body().contains("# EOF"));
        }
    }
}

package dev.earshot.operator.observe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.EarshotOperator;
import dev.earshot.operator.autoscale.AutoscalerSettings;
import dev.earshot.operator.autoscale.PrometheusText;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.testing.MockCluster;
import dev.earshot.operator.testing.SpeechServices;
import dev.earshot.operator.testing.TestOperators;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The operator's {@code /metrics} as Prometheus reads it, from the real wiring against the CRUD
 * mock API server: JOSDK's reconciliation meters, the operator's own and the JVM's, all counting
 * what really happened.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorMetricsEndpointTest {

    static KubernetesClient client;

    private static String scrape(OperatorHttpServer server) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private static double sum(String body, String metric) {
        OptionalDouble value = PrometheusText.sum(body, metric);
        assertTrue(value.isPresent(), metric + " missing from\n" + body);
        return value.getAsDouble();
    }

    @Test
    void reconcilingShowsInJosdksMetersAndTheOperatorsOwn() throws Exception {
        MockCluster.installCrd(client);
        try (EarshotOperator operator = TestOperators.start(
                        client,
                        AutoscalerSettings.defaults(Duration.ofMillis(500)).withPollInterval(Duration.ofMillis(200)));
                OperatorHttpServer server = new OperatorHttpServer(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        operator::healthy,
                        operator.meters())) {
            String before = scrape(server);
            assertEquals(0, sum(before, "earshot_operator_reconciles_total"), before);

            client.resource(SpeechServices.toCreate("speech", "counted", "earshot:1.0"))
                    .create();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                SpeechService s = client.resources(SpeechService.class)
                        .inNamespace("speech")
                        .withName("counted")
                        .get();
                return s.getStatus() != null && s.getStatus().getObservedGeneration() != null;
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String body = scrape(server);
                assertTrue(sum(body, "operator_sdk_reconciliations_success_total") >= 1, body);
            });

            String body = scrape(server);
            double ours = sum(body, "earshot_operator_reconciles_total");
            assertTrue(ours >= 1, body);
            assertTrue(body.contains("earshot_operator_reconciles_total{result=\"error\"} 0.0\n"), body);
            assertTrue(sum(body, "operator_sdk_reconciliations_started_total") >= ours, body);
            assertTrue(sum(body, "operator_sdk_events_received_total") >= 1, body);
            assertTrue(sum(body, "operator_sdk_controllers_execution_reconcile_seconds_count") >= 1, body);
            assertTrue(
                    body.contains("operator_sdk_controllers_execution_reconcile_success_total{"
                            + "controller=\"speechservice\""),
                    body);
            // JOSDK's reconcile timer with the operator's fixed buckets, no client-side quantiles
            String reconcileBuckets = "operator_sdk_controllers_execution_reconcile_seconds_bucket{";
            assertEquals(
                    SdkTimerBuckets.BOUNDS.length + 1,
                    body.lines().filter(l -> l.startsWith(reconcileBuckets)).count(),
                    body);
            assertTrue(body.lines().anyMatch(l -> l.startsWith(reconcileBuckets) && l.contains("le=\"0.005\"")), body);
            assertFalse(body.contains("quantile="), body);
            assertTrue(sum(body, "jvm_memory_used_bytes") > 0, body);
            assertTrue(sum(body, "jvm_threads_live_threads") > 0, body);
            assertTrue(sum(body, "process_cpu_time_ns_total") > 0, body);
        }
    }
}

package dev.earshot.operator.autoscale;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.EarshotOperator;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.reconcile.Conditions;
import dev.earshot.operator.testing.GatewayPods;
import dev.earshot.operator.testing.MetricsEndpoint;
import dev.earshot.operator.testing.MockCluster;
import dev.earshot.operator.testing.MutableClock;
import dev.earshot.operator.testing.SpeechServices;
import dev.earshot.operator.testing.TestOperators;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Autoscaling end to end, short of real Earshot pods: the operator runs in-process against the
 * CRUD mock API server, each "pod" is a Pod object (Running, Ready, with a pod IP) whose metrics
 * URL points at a real HTTP server on 127.0.0.1 serving Prometheus text. The loop polls every
 * 100 ms and the test moves the clock by hand to cross the 300 s scale-down window.
 */
@EnableKubernetesMockClient(crud = true)
class SessionAutoscalingTest {

    private static final String NS = "autoscale";
    private static final String NAME = "asr";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static KubernetesClient client;
    private static final MutableClock clock = new MutableClock(T0);
    private static final Map<String, MetricsEndpoint> endpoints = new ConcurrentHashMap<>();
    private static EarshotOperator operator;

    @BeforeAll
    static void startOperator() {
        MockCluster.installCrd(client);
        operator = TestOperators.start(
                client,
                AutoscalerSettings.defaults(Duration.ofMillis(500))
                        .withClock(clock)
                        .withPollInterval(Duration.ofMillis(100))
                        .withMetricsUrl((pod, port) ->
                                endpoints.get(pod.getMetadata().getName()).uri()));
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
        endpoints.values().forEach(MetricsEndpoint::close);
    }

    /** A ready gateway pod of the SpeechService whose metrics endpoint reports {@code sessions}. */
    private static MetricsEndpoint startPod(SpeechService owner, String name, long sessions) throws IOException {
        MetricsEndpoint endpoint = new MetricsEndpoint().sessions(sessions);
        endpoints.put(name, endpoint);
        GatewayPods.createRunning(client, owner, name);
        return endpoint;
    }

    private static int deploymentReplicas() {
        return client.apps()
                .deployments()
                .inNamespace(NS)
                .withName(NAME)
                .get()
                .getSpec()
                .getReplicas();
    }

    private static SpeechService resource() {
        return client.resources(SpeechService.class)
                .inNamespace(NS)
                .withName(NAME)
                .get();
    }

    private static Condition condition(String type) {
        SpeechService resource = resource();
        return resource.getStatus() == null
                ? null
                : Conditions.find(resource.getStatus().getConditions(), type);
    }

    private static List<Event> events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> NAME.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    private static String deletionCost(String pod) {
        return DeletionCost.of(client.pods().inNamespace(NS).withName(pod).get());
    }

    @Test
    void scalesOnLiveSessionsUpAtOnceDownOnlyAfterTheWindowAndNeverWhileAPodIsSilent() throws IOException {
        SpeechService created = client.resource(SpeechServices.toCreate(NS, NAME, "earshot:1.0"))
                .create();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName(NAME)
                                .get()
                        != null);
        assertEquals(1, deploymentReplicas());

        // Scale-up: one pod holds 250 sessions, 2.5 times the target of 100.
        MetricsEndpoint a = startPod(created, "asr-a", 250);
        await().atMost(Duration.ofSeconds(20)).until(SessionAutoscalingTest::deploymentReplicas, n -> n == 3);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            SpeechService current = resource();
            assertEquals(3, current.getStatus().getDesiredReplicas());
            assertEquals(250L, current.getStatus().getActiveSessions());
            assertEquals("True", condition(Conditions.METRICS_AVAILABLE).getStatus());
            assertEquals(T0.toString(), current.getStatus().getLastScaleTime());
        });
        List<Event> ups = events("ScaledUp");
        assertEquals(1, ups.size());
        assertEquals(
                "Scaled from 1 to 3: 250 sessions on 1 reporting pods, target 100 per replica",
                ups.get(0).getMessage());

        // The new pods are ready; load spreads out and drops to 80 sessions, enough for one pod.
        MetricsEndpoint b = startPod(created, "asr-b", 10);
        startPod(created, "asr-c", 20);
        a.sessions(50);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> resource().getStatus().getActiveSessions(), s -> s == 80L);
        assertEquals(3L * 150, resource().getStatus().getCapacity());
        await().during(Duration.ofMillis(800))
                .atMost(Duration.ofSeconds(3))
                .until(SessionAutoscalingTest::deploymentReplicas, n -> n == 3);

        // One pod stops answering; even once the window has passed there is no scale-down.
        b.down(true);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Condition metrics = condition(Conditions.METRICS_AVAILABLE);
            assertEquals("False", metrics.getStatus());
            assertEquals("ScrapeFailed", metrics.getReason());
            assertTrue(metrics.getMessage().contains("asr-b (HTTP 503)"), metrics.getMessage());
        });
        assertEquals(1, events("MetricsUnavailable").size());
        clock.advance(Duration.ofSeconds(301));
        await().during(Duration.ofMillis(800))
                .atMost(Duration.ofSeconds(3))
                .until(SessionAutoscalingTest::deploymentReplicas, n -> n == 3);
        assertTrue(events("ScaledDown").isEmpty());

        // It answers again. The polls that could not see it count as "keep 3" for a whole window.
        b.down(false);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> condition(Conditions.METRICS_AVAILABLE).getStatus(), "True"::equals);
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(3))
                .until(SessionAutoscalingTest::deploymentReplicas, n -> n == 3);

        clock.advance(Duration.ofSeconds(301));
        await().atMost(Duration.ofSeconds(10)).until(SessionAutoscalingTest::deploymentReplicas, n -> n == 1);

        // Before lowering the count each pod was marked with its sessions: least loaded goes first.
        assertEquals("50", deletionCost("asr-a"));
        assertEquals("10", deletionCost("asr-b"));
        assertEquals("20", deletionCost("asr-c"));
        List<Event> downs = events("ScaledDown");
        assertEquals(1, downs.size());
        assertTrue(
                downs.get(0).getMessage().startsWith("Scaled from 3 to 1: 80 sessions on 3 reporting pods"),
                downs.get(0).getMessage());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            SpeechService current = resource();
            assertEquals(1, current.getStatus().getDesiredReplicas());
            assertEquals(T0.plusSeconds(602).toString(), current.getStatus().getLastScaleTime());
            assertNotNull(condition(Conditions.SCALING_LIMITED));
        });
        assertTrue(operator.metrics().scrapeFailures() > 0);
        assertEquals(2, operator.metrics().rescales());
    }
}

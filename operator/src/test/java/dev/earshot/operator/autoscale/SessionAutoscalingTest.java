package dev.earshot.operator.autoscale;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.EarshotOperator;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.reconcile.Conditions;
import dev.earshot.operator.testing.AdminEndpoint;
import dev.earshot.operator.testing.Conflicts;
import dev.earshot.operator.testing.GatewayPods;
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
 * admin URL points at a real HTTP server on 127.0.0.1 serving Prometheus text and the drain
 * switch. The loop polls every 100 ms and the test moves the clock by hand to cross the 300 s
 * scale-down window.
 */
@EnableKubernetesMockClient(crud = true)
class SessionAutoscalingTest {

    private static final String NS = "autoscale";
    private static final String NAME = "asr";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static KubernetesClient client;
    private static final MutableClock clock = new MutableClock(T0);
    private static final Map<String, AdminEndpoint> endpoints = new ConcurrentHashMap<>();
    private static EarshotOperator operator;

    @BeforeAll
    static void startOperator() {
        MockCluster.installCrd(client);
        operator = TestOperators.start(
                client,
                AutoscalerSettings.defaults(Duration.ofMillis(500))
                        .withClock(clock)
                        .withPollInterval(Duration.ofMillis(100))
                        .withAdminUrl((pod, port) ->
                                endpoints.get(pod.getMetadata().getName()).adminUri()));
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
        endpoints.values().forEach(AdminEndpoint::close);
    }

    /** A ready gateway pod of the SpeechService whose metrics endpoint reports {@code sessions}. */
    private static AdminEndpoint startPod(SpeechService owner, String name, long sessions) throws IOException {
        AdminEndpoint endpoint = new AdminEndpoint().sessions(sessions);
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
        AdminEndpoint a = startPod(created, "asr-a", 250);
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
        AdminEndpoint b = startPod(created, "asr-b", 10);
        AdminEndpoint c = startPod(created, "asr-c", 20);
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

        // For a whole window 80 sessions need one pod: the pods with the fewest sessions drain, one
        // at a time, and each goes once it is empty. The test removes the pod, as the ReplicaSet would.
        clock.advance(Duration.ofSeconds(301));
        await().atMost(Duration.ofSeconds(10)).until(b::draining);
        assertFalse(a.draining() || c.draining(), "scaling.maxDraining is 1");
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(3))
                .until(SessionAutoscalingTest::deploymentReplicas, n -> n == 3);
        b.sessions(0);
        await().atMost(Duration.ofSeconds(10)).until(SessionAutoscalingTest::deploymentReplicas, n -> n == 2);
        assertEquals(Integer.toString(DeletionCost.REMOVE_FIRST), deletionCost("asr-b"));
        assertNull(deletionCost("asr-a"), "only the drained pod is marked");
        client.pods().inNamespace(NS).withName("asr-b").delete();

        await().atMost(Duration.ofSeconds(10)).until(c::draining);
        c.sessions(0);
        await().atMost(Duration.ofSeconds(10)).until(SessionAutoscalingTest::deploymentReplicas, n -> n == 1);
        client.pods().inNamespace(NS).withName("asr-c").delete();

        List<Event> drains = events("DrainStarted");
        assertEquals(2, drains.size());
        assertTrue(
                drains.get(0).getMessage().startsWith("Draining asr-b (10 sessions): 80 sessions on 3 reporting pods"),
                drains.get(0).getMessage());
        assertEquals(
                List.of(
                        "Removed asr-b after it drained for 0s, no session cut; replicas 3 -> 2",
                        "Removed asr-c after it drained for 0s, no session cut; replicas 2 -> 1"),
                events("RemovedAfterDrain").stream().map(Event::getMessage).toList());
        assertTrue(events("ScaledDown").isEmpty(), "every pod that went held sessions, so it drained first");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            SpeechService current = resource();
            assertEquals(1, current.getStatus().getDesiredReplicas());
            assertEquals(0, current.getStatus().getDrainingReplicas());
            assertEquals(T0.plusSeconds(602).toString(), current.getStatus().getLastScaleTime());
            assertNotNull(condition(Conditions.SCALING_LIMITED));
        });
        assertTrue(operator.metrics().scrapeFailures() > 0);
        assertEquals(3, operator.metrics().rescales());
    }

    @Test
    void aGatewayOlderThanTheDrainSwitchIsNotScaledDownAndAWarningSaysWhy() throws IOException {
        String ns = "old-gateways";
        SpeechService service = SpeechServices.toCreate(ns, NAME, "earshot:0.9");
        service.getSpec().getReplicas().setMin(2);
        SpeechService created = client.resource(service).create();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(NAME)
                                .get()
                        != null);
        AdminEndpoint a = startPod(created, "old-a", 10).withoutDrainSwitch();
        AdminEndpoint b = startPod(created, "old-b", 5).withoutDrainSwitch();
        Conflicts.edit(client, ns, NAME, r -> r.getSpec().getReplicas().setMin(1));
        // Move the clock only once a poll has used replicas.min 1 on both pods' sessions: a poll
        // still on min 2 at the new time would keep "2" in the window, and the clock stands still.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            SpeechService current = client.resources(SpeechService.class)
                    .inNamespace(ns)
                    .withName(NAME)
                    .get();
            assertNotNull(current.getStatus());
            assertEquals(15L, current.getStatus().getActiveSessions());
            Condition limited = Conditions.find(current.getStatus().getConditions(), Conditions.SCALING_LIMITED);
            assertNotNull(limited);
            assertEquals("False", limited.getStatus(), limited.getMessage());
        });
        clock.advance(Duration.ofSeconds(301));
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> client.v1().events().inNamespace(ns).list().getItems().stream()
                                .filter(e -> "DrainUnsupported".equals(e.getReason()))
                                .toList(),
                        warnings -> warnings.size() == 1
                                && warnings.get(0).getMessage().startsWith("old-b has no /admin/drain"));
        await().during(Duration.ofMillis(800))
                .atMost(Duration.ofSeconds(3))
                .until(
                        () -> client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName(NAME)
                                .get()
                                .getSpec()
                                .getReplicas(),
                        n -> n == 2);
        assertFalse(a.draining() || b.draining());
        assertEquals(
                1,
                client.v1().events().inNamespace(ns).list().getItems().stream()
                        .filter(e -> "DrainUnsupported".equals(e.getReason()))
                        .count(),
                "said once, not every poll");
    }
}

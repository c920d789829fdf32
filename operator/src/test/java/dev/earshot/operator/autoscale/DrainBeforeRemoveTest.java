package dev.earshot.operator.autoscale;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.operator.EarshotOperator;
import dev.earshot.operator.crd.DrainingPod;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.crd.SpeechServiceStatus;
import dev.earshot.operator.reconcile.Conditions;
import dev.earshot.operator.testing.Conflicts;
import dev.earshot.operator.testing.EarshotProcess;
import dev.earshot.operator.testing.LiveSession;
import dev.earshot.operator.testing.MockCluster;
import dev.earshot.operator.testing.MutableClock;
import dev.earshot.operator.testing.SimulatedDeployment;
import dev.earshot.operator.testing.SpeechServices;
import dev.earshot.operator.testing.TestOperators;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drain before remove, end to end: the operator runs in-process against the CRUD mock API server,
 * {@link SimulatedDeployment} plays the Deployment and ReplicaSet controllers and the kubelet,
 * and each pod is a real {@code earshot serve} process holding real WebSocket sessions. Each test
 * has its own SpeechService (own namespace) with a scale-down window of zero, so the count falls
 * as soon as the load does; the hand-moved clock only matters for the drain timeout.
 */
@EnableKubernetesMockClient(crud = true)
class DrainBeforeRemoveTest {
    private static final String NAME = "asr";
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    static KubernetesClient client;
    private static final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private static final Map<String, SimulatedDeployment> clusters = new ConcurrentHashMap<>();
    private static EarshotOperator operator;
    private final List<LiveSession> sessions = new ArrayList<>();
    private String namespace;
    private SimulatedDeployment sim;

    @BeforeAll
    static void startOperator() {
        MockCluster.installCrd(client);
        operator = TestOperators.start(
                client,
                AutoscalerSettings.defaults(Duration.ofMillis(1000))
                        .withClock(clock)
                        .withPollInterval(Duration.ofMillis(200))
                        .withAdminUrl(
                                (pod, port) -> clusters.get(pod.getMetadata().getNamespace())
                                        .adminUri(pod.getMetadata().getName())));
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
    }

    @AfterEach
    void stopPods() {
        sessions.forEach(LiveSession::close);
        client.resources(SpeechService.class)
                .inNamespace(namespace)
                .withName(NAME)
                .delete();
        sim.close();
    }

    /**
     * A SpeechService with {@code min} pods running, each pod ready; target {@code target}
     * sessions per pod, at most ten.
     */
    private void start(String ns, int min, int target, String drainTimeout) {
        namespace = ns;
        SpeechService service = SpeechServices.toCreate(ns, NAME, "earshot:1.0");
        service.getSpec().getReplicas().setMin(min);
        service.getSpec().getReplicas().setMax(5);
        service.getSpec().getSessions().setTargetPerReplica(target);
        service.getSpec().getSessions().setMaxPerReplica(10);
        service.getSpec().getScaling().setScaleDownStabilizationSeconds(0);
        service.getSpec().getScaling().setDrainTimeout(drainTimeout);
        SpeechService created = client.resource(service).create();
        sim = SimulatedDeployment.start(client, created);
        clusters.put(ns, sim);
        step("the pods run and are ready")
                .until(() -> sim.runningPods().size() == min
                        && status().getReadyReplicas() != null
                        && status().getReadyReplicas() == min);
        // the ready count comes from the Deployment; the autoscaler reads pods from its own cache
        step("the autoscaler reads all " + min + " pods").until(() -> {
            Condition metrics = Conditions.find(status().getConditions(), Conditions.METRICS_AVAILABLE);
            return metrics != null
                    && metrics.getMessage().equals("read earshot_sessions_active from all " + min + " ready pods");
        });
    }

    private ConditionFactory step(String what) {
        return await(what).atMost(STEP).pollInterval(Duration.ofMillis(100));
    }

    /**
     * Waits for {@code condition} while the clock moves a second per check: the scale-down window
     * (zero seconds) then holds only the polls since the last move, not the ones from before the
     * load fell, which carry the same timestamp on a clock that stands still.
     */
    private void whileTimePasses(String what, Callable<Boolean> condition) {
        step(what).until(() -> {
            clock.advance(Duration.ofSeconds(1));
            return condition.call();
        });
    }

    private LiveSession open(String pod) {
        LiveSession session = LiveSession.open(sim.process(pod), pod + "-" + sessions.size());
        sessions.add(session);
        return session;
    }

    private List<LiveSession> open(String pod, int n) {
        List<LiveSession> opened = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            opened.add(open(pod));
        }
        return opened;
    }

    private void edit(Consumer<SpeechService> change) {
        Conflicts.edit(client, namespace, NAME, change);
    }

    private SpeechServiceStatus status() {
        SpeechService resource = client.resources(SpeechService.class)
                .inNamespace(namespace)
                .withName(NAME)
                .get();
        return resource.getStatus() == null ? new SpeechServiceStatus() : resource.getStatus();
    }

    private int replicas() {
        return client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(NAME)
                .get()
                .getSpec()
                .getReplicas();
    }

    private List<Event> events(String reason) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> NAME.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    /** {@code GET /admin/drain} of a pod's gateway. */
    private JsonNode drainState(String pod) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(sim.adminUri(pod) + "/admin/drain"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private void assertNoSessionCut(List<LiveSession> some) {
        assertEquals(List.of(), some.stream().filter(LiveSession::cut).toList(), "sessions cut");
    }

    @Test
    void whenEveryPodHoldsSessionsAndTheLoadFallsThePodWithFewestDrainsAndGoesOnlyAfterItsLastSession()
            throws Exception {
        start("fall", 3, 2, "PT1H");
        List<String> pods = sim.runningPods();
        String first = pods.get(0);
        String second = pods.get(1);
        String third = pods.get(2);
        open(first, 2);
        LiveSession last = open(second);
        open(third);
        step("the operator sees all four sessions").until(() -> status().getActiveSessions(), n -> n == 4);

        // four sessions at two per pod need two pods; replicas.min held three until now
        edit(r -> r.getSpec().getReplicas().setMin(1));
        whileTimePasses("one pod drains", () -> Integer.valueOf(1).equals(status().getDrainingReplicas()));
        DrainingPod draining = status().getDrainingPods().get(0);
        assertEquals(second, draining.getName(), "fewest sessions (a tie with " + third + ", broken by name)");
        assertEquals(1L, draining.getSessions());
        assertTrue(drainState(second).path("draining").asBoolean());
        assertEquals(1, events("DrainStarted").size());
        assertTrue(events("DrainStarted").get(0).getMessage().startsWith("Draining " + second + " (1 session)"));

        // the draining pod refuses new sessions, keeps its live one, and stays while that one lives
        assertEquals(
                "capacity_exceeded",
                LiveSession.refusal(sim.process(second), "late").path("code").asText());
        assertEquals("chunk 1", last.transcribe());
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> replicas() == 3 && sim.pods().contains(second));

        last.end();
        step("the empty pod is removed")
                .until(() -> replicas() == 2 && !sim.pods().contains(second));
        assertEquals(List.of(first, third), sim.runningPods());
        assertTrue(
                events("RemovedAfterDrain").get(0).getMessage().startsWith("Removed " + second + " after it drained"));
        step("the status forgets the drain").until(() -> status().getDrainingReplicas(), n -> n == 0);
        assertNoSessionCut(sessions);
        for (LiveSession session : sessions) {
            if (session != last) {
                assertTrue(session.transcribe().startsWith("chunk"), session + " goes on");
            }
        }
        assertTrue(events("DrainTimedOut").isEmpty());
    }

    @Test
    void whenTheLoadRisesDuringADrainThePodIsUndrainedAndNoPodIsAdded() throws Exception {
        start("rise", 3, 2, "PT1H");
        List<String> pods = sim.runningPods();
        List<LiveSession> onFirst = open(pods.get(0), 2);
        open(pods.get(1));
        open(pods.get(2));
        step("the operator sees all four sessions").until(() -> status().getActiveSessions(), n -> n == 4);
        edit(r -> r.getSpec().getReplicas().setMin(1));
        whileTimePasses("one pod drains", () -> events("DrainStarted").size() == 1);
        // the Event comes first, the status with the draining pod on the reconciler's next write
        step("the status lists the draining pod").until(() -> status().getDrainingPods(), l -> !l.isEmpty());
        String drained = status().getDrainingPods().get(0).getName();

        // two more calls: six sessions need three pods again
        open(pods.get(0), 2);
        whileTimePasses("the drain is taken back", () -> events("Undrained").size() == 1);
        assertFalse(drainState(drained).path("draining").asBoolean());
        assertTrue(events("Undrained").get(0).getMessage().startsWith("Undrained " + drained));
        step("the pod is ready again").until(() -> status().getReadyReplicas(), n -> n == 3);
        onFirst.get(0).end(); // a call ends and the next one lands on the pod that serves again
        open(drained);
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> replicas() == 3 && sim.pods().equals(pods));
        assertTrue(events("ScaledUp").isEmpty(), "no pod was added");
        assertEquals(0, status().getDrainingReplicas());
        assertNoSessionCut(sessions);
    }

    @Test
    void aDrainThatTimesOutRemovesThePodAndTheEventCountsTheSessionsCut() {
        start("timeout", 2, 3, "PT2S");
        List<String> pods = sim.runningPods();
        List<LiveSession> staying = open(pods.get(0), 2);
        LiveSession lingering = open(pods.get(1));
        step("the operator sees the sessions").until(() -> status().getActiveSessions(), n -> n == 3);
        edit(r -> r.getSpec().getReplicas().setMin(1));
        step("the pod with fewest sessions drains").until(() -> {
            clock.advance(Duration.ofMillis(100)); // less than the drain timeout between two polls
            return events("DrainStarted").size() == 1;
        });
        assertTrue(events("DrainStarted").get(0).getMessage().startsWith("Draining " + pods.get(1) + " (1 session)"));

        clock.advance(Duration.ofSeconds(3));
        step("the drain times out").until(() -> events("DrainTimedOut").size() == 1);
        assertEquals(
                "Removed " + pods.get(1) + " after the drain timeout of 2s with 1 session still live: 1 cut;"
                        + " replicas 2 -> 1",
                events("DrainTimedOut").get(0).getMessage());
        step("the pod is removed").until(() -> replicas() == 1 && sim.pods().equals(List.of(pods.get(0))));
        step("the lingering session hears going_away").until(lingering::toldGoingAway);
        assertEquals(1, operator.metrics().drainsTimedOut());
        assertNoSessionCut(staying);
    }

    @Test
    void aPodThatIsNotReadyButHoldsSessionsIsKeptOverAnIdleReadyOne() {
        start("flapping", 2, 2, "PT1H");
        List<String> pods = sim.runningPods();
        String idle = pods.get(0);
        String flapping = pods.get(1);
        List<LiveSession> calls = open(flapping, 2);
        sim.failReadinessProbe(flapping);
        step("the flapping pod is not Ready, and still read")
                .until(() -> status().getReadyReplicas() == 1 && status().getActiveSessions() == 2);

        // two sessions need one pod: the idle pod drains and goes, though the ReplicaSet on its
        // own would remove the pod that is not Ready first
        edit(r -> r.getSpec().getReplicas().setMin(1));
        whileTimePasses(
                "the idle pod is removed", () -> replicas() == 1 && sim.pods().equals(List.of(flapping)));
        assertEquals(1, events("DrainStarted").size());
        assertTrue(events("DrainStarted").get(0).getMessage().startsWith("Draining " + idle + " (0 sessions)"));
        assertTrue(events("RemovedAfterDrain").get(0).getMessage().startsWith("Removed " + idle));
        assertNoSessionCut(calls);
        for (LiveSession call : calls) {
            assertTrue(call.transcribe().startsWith("chunk"));
        }
    }

    @Test
    void aNewPodTemplateRollsEveryPodWithoutCuttingASession() {
        start("rollout", 2, 2, "PT1H");
        List<String> old = sim.runningPods();
        List<EarshotProcess> oldProcesses = old.stream().map(sim::process).toList();
        LiveSession onFirst = open(old.get(0));
        LiveSession onSecond = open(old.get(1));

        edit(r -> r.getSpec().setImage("earshot:1.1"));
        step("every pod runs the new image").until(() -> {
            List<String> running = sim.runningPods();
            return running.size() == 2
                    && running.stream().noneMatch(old::contains)
                    && running.stream().allMatch(p -> "earshot:1.1".equals(sim.image(p)));
        });
        // maxUnavailable 0 and a surge: an old pod was stopped only once a new one was Ready, so
        // two pods still ran after each stop
        assertEquals(
                2,
                sim.fewestRunningAfterRolloutStop(),
                "fewest running pods right after the rollout stopped an old one");
        // the old pods were stopped (SIGTERM) and drain: readiness off, new sessions refused,
        // their calls go on until they end
        assertEquals(2, sim.stillStopping());
        step("the stopped pods report not ready")
                .until(() -> oldProcesses.stream().noneMatch(EarshotProcess::ready));
        for (EarshotProcess stopped : oldProcesses) {
            assertEquals(
                    "capacity_exceeded",
                    LiveSession.refusal(stopped, "late").path("code").asText());
        }
        assertEquals("chunk 1", onFirst.transcribe());
        assertEquals("chunk 1", onSecond.transcribe());
        onFirst.end();
        onSecond.end();
        step("the old processes exit once their calls have ended").until(() -> sim.stillStopping() == 0);
        assertNoSessionCut(sessions);
        assertEquals(2, replicas());
    }
}

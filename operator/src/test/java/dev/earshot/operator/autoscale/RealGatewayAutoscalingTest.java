package dev.earshot.operator.autoscale;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.earshot.operator.EarshotOperator;
import dev.earshot.operator.crd.DrainingPod;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.reconcile.Conditions;
import dev.earshot.operator.testing.EarshotProcess;
import dev.earshot.operator.testing.GatewayPods;
import dev.earshot.operator.testing.MockCluster;
import dev.earshot.operator.testing.MutableClock;
import dev.earshot.operator.testing.SpeechServices;
import dev.earshot.operator.testing.TestOperators;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Autoscaling end to end with real gateways: three {@code earshot serve} processes on loopback
 * (synthetic recognizer) stand in for the pods, real WebSocket sessions are opened against them,
 * and the operator, running in-process against the CRUD mock API, reads their live
 * {@code earshot_sessions_active}, and drains a pod before it removes it. The test moves the clock
 * to cross the scale-down window. {@link DrainBeforeRemoveTest} covers draining in full.
 */
@EnableKubernetesMockClient(crud = true)
class RealGatewayAutoscalingTest {
    private static final String NS = "real";
    private static final String NAME = "asr";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static KubernetesClient client;
    private static final MutableClock clock = new MutableClock(T0);
    private static final Map<String, EarshotProcess> gateways = new ConcurrentHashMap<>();
    private static final List<WebSocket> sockets = new ArrayList<>();
    private static EarshotOperator operator;

    @BeforeAll
    static void start() throws Exception {
        for (String pod : List.of("asr-a", "asr-b", "asr-c")) {
            gateways.put(pod, EarshotProcess.start(10));
        }
        MockCluster.installCrd(client);
        operator = TestOperators.start(
                client,
                AutoscalerSettings.defaults(Duration.ofMillis(1000))
                        .withClock(clock)
                        .withPollInterval(Duration.ofMillis(200))
                        .withAdminUrl((pod, port) ->
                                gateways.get(pod.getMetadata().getName()).adminUri()));
    }

    @AfterAll
    static void stop() {
        sockets.forEach(WebSocket::abort);
        if (operator != null) {
            operator.close();
        }
        gateways.values().forEach(EarshotProcess::close);
    }

    /** Opens {@code n} real sessions on a gateway and starts transcription on each. */
    private static List<WebSocket> open(String pod, int n) {
        List<WebSocket> opened = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            WebSocket ws = HTTP.newWebSocketBuilder()
                    .buildAsync(gateways.get(pod).sessionUri(pod + "-" + sockets.size()), new WebSocket.Listener() {})
                    .orTimeout(20, TimeUnit.SECONDS)
                    .join();
            ws.sendText("{\"type\":\"start_transcription\"}", true).join();
            opened.add(ws);
            sockets.add(ws);
        }
        return opened;
    }

    private static void close(List<WebSocket> some) {
        some.forEach(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join());
    }

    private static void registerPod(SpeechService owner, String name) {
        GatewayPods.createRunning(client, owner, name);
    }

    private static int replicas() {
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

    private static String deletionCost(String pod) {
        return DeletionCost.of(client.pods().inNamespace(NS).withName(pod).get());
    }

    @Test
    void scalesOnRealSessionsUpThenDownAfterTheWindowAndNotWhileAGatewayIsDown() {
        SpeechService service = SpeechServices.toCreate(NS, NAME, "earshot:1.0");
        service.getSpec().getSessions().setTargetPerReplica(4);
        service.getSpec().getSessions().setMaxPerReplica(10);
        SpeechService created = client.resource(service).create();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName(NAME)
                                .get()
                        != null);
        assertEquals(1, replicas());

        // one pod, ten live sessions, target four per replica: three replicas
        registerPod(created, "asr-a");
        List<WebSocket> onA = open("asr-a", 10);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> resource().getStatus().getActiveSessions(), s -> s == 10L);
        // the test's clock stands still: move it so the zero-length scale-up window holds only
        // polls that saw all ten sessions, not those taken while they were being opened
        clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(20)).until(RealGatewayAutoscalingTest::replicas, n -> n == 3);

        // the new pods come up and the load spreads: a 3, b 1, c 2 (six sessions: two replicas)
        registerPod(created, "asr-b");
        registerPod(created, "asr-c");
        close(onA.subList(3, 10));
        List<WebSocket> onB = open("asr-b", 1);
        open("asr-c", 2);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> resource().getStatus().getActiveSessions(), s -> s == 6L);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(RealGatewayAutoscalingTest::replicas, n -> n == 3); // not before the window

        // after the window two pods will do: b, with the fewest sessions, drains, and goes only
        // once its last session has ended (the test then removes it, as the ReplicaSet would)
        clock.advance(Duration.ofSeconds(301));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> resource().getStatus().getDrainingPods().stream()
                        .map(DrainingPod::getName)
                        .toList()
                        .equals(List.of("asr-b")));
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(RealGatewayAutoscalingTest::replicas, n -> n == 3);
        close(onB);
        await().atMost(Duration.ofSeconds(20)).until(RealGatewayAutoscalingTest::replicas, n -> n == 2);
        assertEquals(Integer.toString(DeletionCost.REMOVE_FIRST), deletionCost("asr-b"));
        client.pods().inNamespace(NS).withName("asr-b").delete();

        // a gateway dies: while its metrics are missing, no scale-down, however low the rest goes
        gateways.get("asr-c").kill();
        close(onA.subList(0, 3));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "False"
                        .equals(Conditions.find(resource().getStatus().getConditions(), Conditions.METRICS_AVAILABLE)
                                .getStatus()));
        clock.advance(Duration.ofSeconds(301));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(6))
                .until(RealGatewayAutoscalingTest::replicas, n -> n == 2);
        assertEquals(0, resource().getStatus().getDrainingReplicas(), "nor a drain");
    }
}

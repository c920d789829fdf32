package dev.earshot.operator.autoscale;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.earshot.operator.EarshotOperator;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.testing.AdminEndpoint;
import dev.earshot.operator.testing.GatewayPods;
import dev.earshot.operator.testing.MockCluster;
import dev.earshot.operator.testing.SpeechServices;
import dev.earshot.operator.testing.TestOperators;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What one SpeechService costs the API server while nothing changes: the autoscaler polls its
 * pods, and every request the operator sends in a window is counted at the mock API server. The
 * suite polls every 100 ms for three seconds; {@code -Dearshot.requests.poll=PT15S
 * -Dearshot.requests.window=PT60S} measures a real minute at the default poll interval.
 */
@EnableKubernetesMockClient(crud = true)
class AutoscalerApiRequestsTest {
    private static final System.Logger LOG = System.getLogger(AutoscalerApiRequestsTest.class.getName());
    private static final String NS = "requests";
    private static final String NAME = "asr";
    private static final Duration POLL = Duration.parse(System.getProperty("earshot.requests.poll", "PT0.1S"));
    private static final Duration WINDOW = Duration.parse(System.getProperty("earshot.requests.window", "PT3S"));

    static KubernetesClient client;
    static KubernetesMockServer server;
    private static final Map<String, AdminEndpoint> endpoints = new ConcurrentHashMap<>();
    private static EarshotOperator operator;

    @BeforeAll
    static void startOperator() {
        MockCluster.installCrd(client);
        operator = TestOperators.start(
                client,
                AutoscalerSettings.defaults(Duration.ofMillis(500))
                        .withPollInterval(POLL)
                        .withAdminUrl((pod, port) ->
                                endpoints.get(pod.getMetadata().getName()).adminUri()));
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
        endpoints.values().forEach(AdminEndpoint::close);
    }

    private static void startPod(SpeechService owner, String name, long sessions) throws IOException {
        endpoints.put(name, new AdminEndpoint().sessions(sessions));
        GatewayPods.createRunning(client, owner, name);
    }

    /** Every request the mock server has received and not yet handed out, by method and path. */
    private static Map<String, Integer> takeRequests() throws InterruptedException {
        Map<String, Integer> counts = new TreeMap<>();
        for (RecordedRequest r = server.takeRequest(10, TimeUnit.MILLISECONDS);
                r != null;
                r = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
            String path = r.getPath().replaceAll("resourceVersion=[0-9]+", "resourceVersion=…");
            counts.merge(r.getMethod() + " " + path, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void aSteadySpeechServiceCostsTheApiServerNoRequestsBetweenChanges() throws Exception {
        SpeechService created = client.resource(SpeechServices.toCreate(NS, NAME, "earshot:1.0"))
                .create();
        startPod(created, "asr-a", 100);
        startPod(created, "asr-b", 100);
        // steady: two pods at the target of 100 sessions each, two replicas
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            SpeechService current = client.resources(SpeechService.class)
                    .inNamespace(NS)
                    .withName(NAME)
                    .get();
            return current.getStatus() != null
                    && Integer.valueOf(2).equals(current.getStatus().getDesiredReplicas())
                    && Long.valueOf(200).equals(current.getStatus().getActiveSessions());
        });
        // let the polls and reconciles that followed the last change settle, then start counting
        Thread.sleep(POLL.multipliedBy(3).toMillis());
        takeRequests();

        Thread.sleep(WINDOW.toMillis());
        Map<String, Integer> requests = takeRequests();
        int total = requests.values().stream().mapToInt(Integer::intValue).sum();
        double perMinute = total * 60_000.0 / WINDOW.toMillis();
        LOG.log(
                System.Logger.Level.INFO,
                "API requests for one steady SpeechService, polled every {0}, in {1}: {2} ({3} per minute) {4}",
                POLL,
                WINDOW,
                total,
                perMinute,
                requests);
        assertEquals(Map.of(), requests, "requests in " + WINDOW + " of polls every " + POLL);
    }
}

package dev.earshot.operator.chart;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.earshot.operator.EarshotOperator;
import dev.earshot.operator.autoscale.AutoscalerSettings;
import dev.earshot.operator.autoscale.DeletionCost;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.crd.SpeechServiceStatus;
import dev.earshot.operator.reconcile.Conditions;
import dev.earshot.operator.testing.AdminEndpoint;
import dev.earshot.operator.testing.Conflicts;
import dev.earshot.operator.testing.GatewayPods;
import dev.earshot.operator.testing.MutableClock;
import dev.earshot.operator.testing.SpeechServices;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Puts the operator through everything it does in a cluster, held to the chart's RBAC: leader
 * election, reconciling a SpeechService into a Deployment, Service and PodDisruptionBudget,
 * a NetworkPolicy switched on and off again, status, autoscaling up and down (a pod drained and
 * removed with a deletion-cost patch) and Events, and an invalid
 * spec. Each step waits for its visible effect, so a request the chart forbids shows up both as
 * a denial and as a step that never completes.
 */
final class OperatorWorkout {

    /** Generous: each step takes a second or two, but the build shares two cores with others. */
    private static final Duration STEP = Duration.ofSeconds(60);

    private static final String NAME = "asr";

    private final AuthorizedMockCluster cluster;
    private final ChartedOperator charted;
    private final String namespace;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Map<String, AdminEndpoint> pods = new ConcurrentHashMap<>();

    /**
     * @param cluster the mock, enforcing the chart's RBAC on the operator
     * @param charted the operator as the chart configures it
     * @param namespace where the SpeechService goes (a watched namespace)
     */
    OperatorWorkout(AuthorizedMockCluster cluster, ChartedOperator charted, String namespace) {
        this.cluster = cluster;
        this.charted = charted;
        this.namespace = namespace;
    }

    /** Builds the operator on the operator's client; the autoscaler polls fast on a manual clock. */
    EarshotOperator operator() {
        return EarshotOperator.builder(cluster.operator())
                .settings(charted.inTestProcess())
                .autoscaler(AutoscalerSettings.defaults(Duration.ofMillis(500))
                        .withClock(clock)
                        .withPollInterval(Duration.ofMillis(100))
                        .withAdminUrl((pod, port) ->
                                pods.get(pod.getMetadata().getName()).adminUri()))
                .build();
    }

    /**
     * Runs every step; returns when the last one had its effect. A step that times out fails with
     * the operator's latest requests, to show where it stopped.
     */
    void run() {
        try {
            steps();
        } catch (ConditionTimeoutException e) {
            List<String> latest =
                    cluster.calls().stream().map(c -> c.request().toString()).toList();
            throw new AssertionError(
                    e.getMessage() + "; the operator's latest requests: "
                            + latest.subList(Math.max(0, latest.size() - 40), latest.size()),
                    e);
        }
    }

    private void steps() {
        KubernetesClient admin = cluster.admin();
        try (EarshotOperator operator = operator()) {
            operator.start();

            SpeechService created = admin.resource(SpeechServices.toCreate(namespace, NAME, "earshot:1.0"))
                    .create();
            step("the SpeechService has a Deployment, Service, PodDisruptionBudget and status")
                    .until(() -> deploymentReplicas() == 1
                            && admin.services()
                                            .inNamespace(namespace)
                                            .withName(NAME)
                                            .get()
                                    != null
                            && admin.policy()
                                            .v1()
                                            .podDisruptionBudget()
                                            .inNamespace(namespace)
                                            .withName(NAME)
                                            .get()
                                    != null
                            && status().getDesiredReplicas() != null);

            AdminEndpoint pod = startPod(created, NAME + "-a", 250);
            step("scaled up to 3 with an Event").until(() -> deploymentReplicas() == 3 && hasEvent("ScaledUp"));

            // one more pod, idle; 10 sessions need one pod: the replica without a pod goes at once,
            // the idle pod drains and goes with the lowest deletion cost
            // the autoscaler reads pods from the informer cache: it must have seen the new one
            // (its one session counted) before the load falls, or it would find nothing to drain
            AdminEndpoint idle = startPod(created, NAME + "-b", 1);
            step("the operator reads the second pod")
                    .until(() -> Long.valueOf(251).equals(status().getActiveSessions()));
            idle.sessions(0);
            pod.sessions(10);
            clock.advance(Duration.ofSeconds(301));
            step("scaled down to 1, a pod drained and removed, with Events")
                    .until(() -> deploymentReplicas() == 1
                            && hasEvent("ScaledDown")
                            && hasEvent("DrainStarted")
                            && hasEvent("RemovedAfterDrain"));
            assertEquals(
                    Integer.toString(DeletionCost.REMOVE_FIRST),
                    DeletionCost.of(admin.pods()
                            .inNamespace(namespace)
                            .withName(NAME + "-b")
                            .get()));

            editSpec(r -> r.getSpec().getNetworkPolicy().setEnabled(true));
            step("a NetworkPolicy while the spec enables it").until(() -> networkPolicy() != null);
            editSpec(r -> r.getSpec().getNetworkPolicy().setEnabled(false));
            step("the NetworkPolicy deleted when disabled").until(() -> networkPolicy() == null);

            editSpec(r -> r.getSpec().getSessions().setTargetPerReplica(1000));
            step("InvalidSpec reported").until(() -> hasEvent("InvalidSpec") && "InvalidSpec".equals(readyReason()));

            charted.settings()
                    .leaderElection()
                    .ifPresent(lease ->
                            step("the Lease renewed").until(() -> leaseRenewals(lease.namespace(), lease.name()) > 0));
        } finally {
            pods.values().forEach(AdminEndpoint::close);
        }
    }

    /**
     * Waits up to {@link #STEP} for an effect, but fails at once, naming them, when the chart has
     * denied the operator anything: the effect would then never come.
     */
    private ConditionFactory step(String effect) {
        return await(effect)
                .atMost(STEP)
                .failFast(
                        "the chart's RBAC denied the operator",
                        () -> assertEquals(
                                List.of(),
                                cluster.calls().stream()
                                        .flatMap(c -> c.denied().stream())
                                        .map(ApiRequest::toString)
                                        .distinct()
                                        .toList(),
                                "denied requests"));
    }

    private void editSpec(Consumer<SpeechService> change) {
        Conflicts.edit(cluster.admin(), namespace, NAME, change);
    }

    private NetworkPolicy networkPolicy() {
        return cluster.admin()
                .network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .withName(NAME)
                .get();
    }

    /** How often the operator renewed its Lease (patched it after creating it). */
    private long leaseRenewals(String leaseNamespace, String leaseName) {
        Lease lease = cluster.admin()
                .leases()
                .inNamespace(leaseNamespace)
                .withName(leaseName)
                .get();
        if (lease == null || !ChartedOperator.POD_NAME.equals(lease.getSpec().getHolderIdentity())) {
            return 0;
        }
        List<AuthorizingDispatcher.Call> calls = cluster.calls();
        return calls.stream()
                .map(AuthorizingDispatcher.Call::request)
                .filter(r -> "leases".equals(r.resource()) && r.verb().equals("patch"))
                .count();
    }

    private int deploymentReplicas() {
        var deployment = cluster.admin()
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withName(NAME)
                .get();
        return deployment == null ? 0 : deployment.getSpec().getReplicas();
    }

    private SpeechServiceStatus status() {
        SpeechService resource = cluster.admin()
                .resources(SpeechService.class)
                .inNamespace(namespace)
                .withName(NAME)
                .get();
        return resource.getStatus() == null ? new SpeechServiceStatus() : resource.getStatus();
    }

    private String readyReason() {
        var ready = Conditions.find(status().getConditions(), Conditions.READY);
        return ready == null ? null : ready.getReason();
    }

    private boolean hasEvent(String reason) {
        return cluster.admin().v1().events().inNamespace(namespace).list().getItems().stream()
                .anyMatch(e -> reason.equals(e.getReason())
                        && NAME.equals(e.getInvolvedObject().getName()));
    }

    /** A Running, Ready pod of the SpeechService whose metrics report {@code sessions}. */
    private AdminEndpoint startPod(SpeechService owner, String name, long sessions) {
        AdminEndpoint endpoint;
        try {
            endpoint = new AdminEndpoint().sessions(sessions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pods.put(name, endpoint);
        GatewayPods.createRunning(cluster.admin(), owner, name);
        return endpoint;
    }
}

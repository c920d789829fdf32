package dev.earshot.operator.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.EarshotOperator;
import dev.earshot.operator.autoscale.AutoscalerSettings;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.testing.Conflicts;
import dev.earshot.operator.testing.MockCluster;
import dev.earshot.operator.testing.SpeechServices;
import dev.earshot.operator.testing.TestOperators;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator running in-process against the fabric8 CRUD mock API server. */
@EnableKubernetesMockClient(crud = true)
class SpeechServiceReconcilerTest {

    private static final String NS = "speech";
    static KubernetesClient client;
    private static EarshotOperator operator;

    @BeforeAll
    static void startOperator() {
        MockCluster.installCrd(client);
        operator = TestOperators.start(
                client, AutoscalerSettings.defaults(Duration.ofMillis(500)).withPollInterval(Duration.ofMillis(200)));
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
    }

    private static SpeechService create(SpeechService resource) {
        return client.resource(resource).create();
    }

    private static SpeechService get(String name) {
        return client.resources(SpeechService.class)
                .inNamespace(NS)
                .withName(name)
                .get();
    }

    private static Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private static SpeechService update(String name, java.util.function.Consumer<SpeechService> change) {
        return Conflicts.edit(client, NS, name, change);
    }

    private static Condition condition(String name, String type) {
        SpeechService resource = get(name);
        return resource.getStatus() == null
                ? null
                : Conditions.find(resource.getStatus().getConditions(), type);
    }

    private static List<Event> events(String name, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    private static void assertOwnedBy(HasMetadata object, SpeechService owner) {
        assertNotNull(object);
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        assertEquals(1, refs.size(), "exactly one owner reference on " + object.getKind());
        assertEquals(owner.getMetadata().getUid(), refs.get(0).getUid());
        assertEquals("SpeechService", refs.get(0).getKind());
        assertTrue(refs.get(0).getController());
    }

    @Test
    void aSpeechServiceGetsADeploymentServiceAndDisruptionBudgetItOwns() {
        SpeechService resource = SpeechServices.toCreate(NS, "owned", "earshot:1.0");
        resource.getSpec().getReplicas().setMin(2);
        resource.getSpec().getSessions().setMaxPerReplica(120);
        SpeechService created = create(resource);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertNotNull(deployment("owned"));
            assertNotNull(client.services().inNamespace(NS).withName("owned").get());
            assertNotNull(client.policy()
                    .v1()
                    .podDisruptionBudget()
                    .inNamespace(NS)
                    .withName("owned")
                    .get());
        });
        Deployment deployment = deployment("owned");
        assertOwnedBy(deployment, created);
        assertOwnedBy(client.services().inNamespace(NS).withName("owned").get(), created);
        assertOwnedBy(
                client.policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace(NS)
                        .withName("owned")
                        .get(),
                created);

        assertEquals(2, deployment.getSpec().getReplicas(), "starts at replicas.min");
        var container =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("earshot:1.0", container.getImage());
        assertEquals(List.of("serve"), container.getArgs());
        Map<String, String> env = container.getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> String.valueOf(e.getValue())));
        assertEquals("120", env.get("SESSIONS_MAX"));
        assertEquals("3600", env.get("SERVER_DRAIN__SECONDS"));
        Service service = client.services().inNamespace(NS).withName("owned").get();
        assertEquals(8080, service.getSpec().getPorts().get(0).getPort());
        PodDisruptionBudget pdb = client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(NS)
                .withName("owned")
                .get();
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
    }

    @Test
    void statusReportsReplicasAndConditionsAndFollowsTheDeployment() {
        SpeechService resource = SpeechServices.toCreate(NS, "status", "earshot:1.0");
        resource.getSpec().getReplicas().setMin(2);
        create(resource);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            SpeechService current = get("status");
            assertNotNull(current.getStatus());
            assertEquals(2, current.getStatus().getDesiredReplicas());
            assertEquals(
                    current.getMetadata().getGeneration(), current.getStatus().getObservedGeneration());
            Condition ready = condition("status", Conditions.READY);
            assertEquals("False", ready.getStatus());
            assertEquals("RollingOut", ready.getReason());
            assertNotNull(condition("status", Conditions.METRICS_AVAILABLE));
            assertNotNull(condition("status", Conditions.SCALING_LIMITED));
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> condition("status", Conditions.METRICS_AVAILABLE).getReason(), "NoReadyPods"::equals);

        // The Deployment controller reports both pods ready.
        Deployment deployment = deployment("status");
        deployment.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(2)
                .withUpdatedReplicas(2)
                .withReadyReplicas(2)
                .withAvailableReplicas(2)
                .build());
        Conflicts.retry(() -> {
            Deployment latest = deployment("status");
            latest.setStatus(deployment.getStatus());
            return client.apps().deployments().resource(latest).updateStatus();
        });

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Condition ready = condition("status", Conditions.READY);
            assertEquals("True", ready.getStatus());
            assertEquals("AllReplicasReady", ready.getReason());
            assertNotNull(ready.getLastTransitionTime());
            assertEquals(2, get("status").getStatus().getReadyReplicas());
        });
    }

    @Test
    void aSpecChangeRollsTheDeploymentAndLeavesTheReplicaCountAlone() {
        SpeechService resource = SpeechServices.toCreate(NS, "rollout", "earshot:1.0");
        create(resource);
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment("rollout") != null);

        // The replica count is the autoscaler's; here it was scaled to 4 before this operator started.
        Conflicts.retry(() -> client.apps()
                .deployments()
                .inNamespace(NS)
                .withName("rollout")
                .edit(d -> {
                    d.getSpec().setReplicas(4);
                    return d;
                }));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> get("rollout").getStatus().getDesiredReplicas(), r -> r == 4);

        update("rollout", r -> {
            r.getSpec().setImage("earshot:1.1");
            r.getSpec().getScaling().setDrainTimeout("PT2M");
        });

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Deployment deployment = deployment("rollout");
            var pod = deployment.getSpec().getTemplate().getSpec();
            assertEquals("earshot:1.1", pod.getContainers().get(0).getImage());
            assertEquals(5L + 120 + 10, pod.getTerminationGracePeriodSeconds());
            assertEquals(4, deployment.getSpec().getReplicas(), "a reconcile never resets replicas");
        });
        SpeechService current = get("rollout");
        assertEquals(current.getMetadata().getGeneration(), current.getStatus().getObservedGeneration());
    }

    @Test
    void raisingTheMinimumLiftsTheReplicaCountIntoTheNewBounds() {
        SpeechService resource = SpeechServices.toCreate(NS, "bounds", "earshot:1.0");
        create(resource);
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment("bounds") != null);
        assertEquals(1, deployment("bounds").getSpec().getReplicas());

        update("bounds", r -> r.getSpec().getReplicas().setMin(3));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> deployment("bounds").getSpec().getReplicas(), n -> n == 3);
    }

    @Test
    void anInvalidSpecGetsAConditionAndAnEventAndTheRunningDeploymentIsKept() {
        SpeechService resource = SpeechServices.toCreate(NS, "broken", "earshot:1.0");
        create(resource);
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment("broken") != null);

        update("broken", r -> {
            r.getSpec().setImage("earshot:2.0");
            r.getSpec().getSessions().setTargetPerReplica(200);
        });

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Condition ready = condition("broken", Conditions.READY);
            assertEquals("False", ready.getStatus());
            assertEquals("InvalidSpec", ready.getReason());
            assertTrue(
                    ready.getMessage().contains("sessions.targetPerReplica (200) must not exceed"), ready.getMessage());
            List<Event> events = events("broken", "InvalidSpec");
            assertEquals(1, events.size());
            assertEquals("Warning", events.get(0).getType());
            assertEquals(ready.getMessage(), events.get(0).getMessage());
        });
        assertEquals(
                "earshot:1.0",
                deployment("broken")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage(),
                "nothing from the invalid spec is applied");

        update("broken", r -> r.getSpec().getSessions().setTargetPerReplica(100));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertEquals(
                    "earshot:2.0",
                    deployment("broken")
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage());
            assertEquals("RollingOut", condition("broken", Conditions.READY).getReason());
        });
    }

    @Test
    void aFailingReconcileIsReportedAsAConditionAndAnEvent() {
        // A Deployment of the same name that the operator does not manage: creating ours fails.
        client.apps()
                .deployments()
                .inNamespace(NS)
                .resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                        .withNewMetadata()
                        .withName("clash")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(1)
                        .endSpec()
                        .build())
                .create();
        create(SpeechServices.toCreate(NS, "clash", "earshot:1.0"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Condition ready = condition("clash", Conditions.READY);
            assertNotNull(ready);
            assertEquals("False", ready.getStatus());
            assertEquals("ReconcileError", ready.getReason());
            assertEquals("deployment: Deployment 'clash' already exists", ready.getMessage());
            assertEquals(1, events("clash", "ReconcileFailed").size());
        });
        assertTrue(operator.healthy());
    }

    private static NetworkPolicy networkPolicy(String name) {
        return client.network()
                .v1()
                .networkPolicies()
                .inNamespace(NS)
                .withName(name)
                .get();
    }

    @Test
    void gatewayPodsWithoutResourcesGetDefaultsASizeLimitedTmpAndNoServiceAccountToken() {
        SpeechService resource = SpeechServices.toCreate(NS, "sized", "earshot:1.0");
        resource.getSpec().getSessions().setTargetPerReplica(1);
        resource.getSpec().getSessions().setMaxPerReplica(2);
        create(resource);

        await().atMost(Duration.ofSeconds(20)).until(() -> deployment("sized") != null);
        PodSpec pod = deployment("sized").getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        assertEquals(
                Map.of("cpu", new Quantity("1102m"), "memory", new Quantity("769Mi")),
                container.getResources().getRequests(),
                "two decoders (maxPerReplica 2) and the gateway");
        assertEquals(
                Map.of("memory", new Quantity("769Mi")),
                container.getResources().getLimits());
        assertTrue(
                container.getEnv().stream()
                        .anyMatch(e -> e.getName().equals("ASR_POOL__SIZE") && "2".equals(e.getValue())),
                "the pods run the decoders they were sized for");
        assertEquals(
                new Quantity("128Mi"), pod.getVolumes().get(0).getEmptyDir().getSizeLimit());
        assertEquals("/tmp", container.getVolumeMounts().get(0).getMountPath());
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
    }

    @Test
    void resourcesSetInTheSpecReachThePodsUnchanged() {
        SpeechService resource = SpeechServices.toCreate(NS, "given", "earshot:1.0");
        resource.getSpec()
                .setResources(new ResourceRequirementsBuilder()
                        .addToRequests("cpu", new Quantity("3"))
                        .build());
        create(resource);

        await().atMost(Duration.ofSeconds(20)).until(() -> deployment("given") != null);
        Container container = deployment("given")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertEquals(Map.of("cpu", new Quantity("3")), container.getResources().getRequests());
        assertTrue(
                container.getResources().getLimits() == null
                        || container.getResources().getLimits().isEmpty(),
                "no limit added");
        assertTrue(container.getEnv().stream().noneMatch(e -> e.getName().equals("ASR_POOL__SIZE")));
    }

    @Test
    void aNetworkPolicyExistsExactlyWhileTheSpecEnablesIt() {
        SpeechService created = create(SpeechServices.toCreate(NS, "fenced", "earshot:1.0"));
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment("fenced") != null);
        assertNull(networkPolicy("fenced"), "opt-in: none by default");

        update("fenced", r -> r.getSpec().getNetworkPolicy().setEnabled(true));
        await().atMost(Duration.ofSeconds(20)).until(() -> networkPolicy("fenced") != null);
        NetworkPolicy policy = networkPolicy("fenced");
        assertOwnedBy(policy, created);
        assertEquals(
                Map.of("app.kubernetes.io/name", "earshot", "app.kubernetes.io/instance", "fenced"),
                policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        assertEquals(2, policy.getSpec().getIngress().size(), "the service port and the admin port");
        var rule = policy.getSpec().getIngress().get(0);
        assertEquals(8080, rule.getPorts().get(0).getPort().getIntVal());
        assertEquals(
                9090,
                policy.getSpec().getIngress().get(1).getPorts().get(0).getPort().getIntVal());
        assertTrue(rule.getFrom() == null || rule.getFrom().isEmpty(), "the service port is open to every source");
        assertEquals(
                Map.of("kubernetes.io/metadata.name", TestOperators.OPERATOR_NAMESPACE),
                policy.getSpec()
                        .getIngress()
                        .get(1)
                        .getFrom()
                        .get(0)
                        .getNamespaceSelector()
                        .getMatchLabels(),
                "the admin port only from the operator's namespace (POD_NAMESPACE)");

        update("fenced", r -> r.getSpec().getNetworkPolicy().setEnabled(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> networkPolicy("fenced") == null);

        update("fenced", r -> r.getSpec().getNetworkPolicy().setEnabled(true));
        await().atMost(Duration.ofSeconds(20)).until(() -> networkPolicy("fenced") != null);
        update("fenced", r -> r.getSpec().setNetworkPolicy(null));
        await().atMost(Duration.ofSeconds(20)).until(() -> networkPolicy("fenced") == null);
        assertNotNull(deployment("fenced"), "the gateway keeps running");
    }

    @Test
    void aSpeechServiceThatIsInvalidFromTheStartGetsNoObjects() {
        SpeechService resource = SpeechServices.toCreate(NS, "no-image", " ");
        create(resource);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Condition ready = condition("no-image", Conditions.READY);
            assertNotNull(ready);
            assertEquals("InvalidSpec", ready.getReason());
            assertEquals("spec.image is required", ready.getMessage());
            assertEquals(1, events("no-image", "InvalidSpec").size());
        });
        assertNull(deployment("no-image"));
        assertTrue(operator.healthy(), "a bad resource does not make the operator unhealthy");
    }
}

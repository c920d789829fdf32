package dev.earshot.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.crd.SecretKeyRef;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.testing.SpeechServices;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeploymentModelTest {

    private static Deployment build(SpeechService resource, int replicas) {
        SpeechServiceConfig config = assertInstanceOf(
                        SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(resource.getSpec()))
                .config();
        return DeploymentModel.build(resource, config, replicas);
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, EnvVar> env(Deployment deployment) {
        return container(deployment).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    @Test
    void runsServeOnTheNamedHttpPortWithTheRequestedReplicas() {
        Deployment deployment = build(SpeechServices.minimal("ns", "asr", "earshot:1.0"), 4);
        assertEquals(4, deployment.getSpec().getReplicas());
        Container container = container(deployment);
        assertEquals("earshot:1.0", container.getImage());
        assertEquals(List.of("serve"), container.getArgs());
        assertTrue(
                container.getCommand() == null || container.getCommand().isEmpty(),
                "the image's entrypoint (java -jar earshot.jar) is kept");
        assertEquals("http", container.getPorts().get(0).getName());
        assertEquals(8080, container.getPorts().get(0).getContainerPort());
        assertEquals("admin", container.getPorts().get(1).getName());
        assertEquals(9090, container.getPorts().get(1).getContainerPort());
        assertEquals("9090", env(deployment).get("SERVER_ADMIN__PORT").getValue());
    }

    @Test
    void podsAreScrapedOnTheAdminPort() {
        SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");
        resource.getSpec().setAdminPort(9191);
        Deployment deployment = build(resource, 1);
        assertEquals(
                Map.of(
                        "prometheus.io/scrape",
                        "true",
                        "prometheus.io/port",
                        "9191",
                        "prometheus.io/path",
                        "/observe/metrics"),
                deployment.getSpec().getTemplate().getMetadata().getAnnotations());
        assertEquals(9191, container(deployment).getPorts().get(1).getContainerPort());
        assertEquals("9191", env(deployment).get("SERVER_ADMIN__PORT").getValue());
    }

    @Test
    void runsWithLeastPrivilegeAndOnlyTmpWritable() {
        Deployment deployment = build(SpeechServices.minimal("ns", "asr", "earshot:1.0"), 1);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(
                "RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        var security = container(deployment).getSecurityContext();
        assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation());
        assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
        assertEquals("/tmp", container(deployment).getVolumeMounts().get(0).getMountPath());
        assertTrue(pod.getVolumes().get(0).getEmptyDir() != null, "/tmp is an emptyDir");
    }

    @Test
    void tmpIsAnEmptyDirWithASizeLimit() {
        var pod = build(SpeechServices.minimal("ns", "asr", "earshot:1.0"), 1)
                .getSpec()
                .getTemplate()
                .getSpec();
        assertEquals("tmp", pod.getVolumes().get(0).getName());
        assertEquals(
                new Quantity("128Mi"), pod.getVolumes().get(0).getEmptyDir().getSizeLimit());
        assertEquals("tmp", pod.getContainers().get(0).getVolumeMounts().get(0).getName());
    }

    @Test
    void podsMountNoServiceAccountToken() {
        var pod = build(SpeechServices.minimal("ns", "asr", "earshot:1.0"), 1)
                .getSpec()
                .getTemplate()
                .getSpec();
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
    }

    @Test
    void withoutResourcesTheEmbeddedRecognizerGetsDefaultsAndTheDecoderCountTheyWereSizedFor() {
        SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");
        resource.getSpec().getSessions().setTargetPerReplica(1);
        resource.getSpec().getSessions().setMaxPerReplica(3);
        Deployment deployment = build(resource, 1);
        var resources = container(deployment).getResources();
        // 100m + 3m + 3 x 500m; 384Mi + 1Mi + 256Mi + 3 x 64Mi
        assertEquals(Map.of("cpu", new Quantity("1603m"), "memory", new Quantity("833Mi")), resources.getRequests());
        assertEquals(Map.of("memory", new Quantity("833Mi")), resources.getLimits());
        assertEquals("3", env(deployment).get("ASR_POOL__SIZE").getValue());
    }

    @Test
    void theUsersPoolSizeIsKeptAndSizesTheDefaults() {
        SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");
        resource.getSpec()
                .setEnv(List.of(new EnvVarBuilder()
                        .withName("ASR_POOL__SIZE")
                        .withValue("1")
                        .build()));
        Deployment deployment = build(resource, 1);
        List<EnvVar> poolSizes = container(deployment).getEnv().stream()
                .filter(e -> e.getName().equals("ASR_POOL__SIZE"))
                .toList();
        assertEquals(1, poolSizes.size());
        assertEquals("1", poolSizes.get(0).getValue());
        // 100m + 150m + 1 x 500m
        assertEquals(
                new Quantity("750m"),
                container(deployment).getResources().getRequests().get("cpu"));
    }

    @Test
    void anExternalRivaGetsGatewayDefaultsAndNoPoolSize() {
        SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");
        resource.getSpec().getRiva().setEndpoint("riva:50051");
        Deployment deployment = build(resource, 1);
        assertEquals(
                Map.of("cpu", new Quantity("250m"), "memory", new Quantity("394Mi")),
                container(deployment).getResources().getRequests());
        assertFalse(env(deployment).containsKey("ASR_POOL__SIZE"));
    }

    @Test
    void carriesOwnerReferenceAndRecommendedLabels() {
        Deployment deployment = build(SpeechServices.minimal("ns", "asr", "earshot:1.0"), 1);
        OwnerReference owner = deployment.getMetadata().getOwnerReferences().get(0);
        assertEquals("SpeechService", owner.getKind());
        assertEquals("earshot.dev/v1alpha1", owner.getApiVersion());
        assertEquals("uid-asr", owner.getUid());
        assertTrue(owner.getController());
        assertEquals("ns", deployment.getMetadata().getNamespace());
        Map<String, String> labels = deployment.getMetadata().getLabels();
        assertEquals("earshot", labels.get("app.kubernetes.io/name"));
        assertEquals("asr", labels.get("app.kubernetes.io/instance"));
        assertEquals("earshot-operator", labels.get("app.kubernetes.io/managed-by"));
        assertEquals(
                Map.of("app.kubernetes.io/name", "earshot", "app.kubernetes.io/instance", "asr"),
                deployment.getSpec().getSelector().getMatchLabels());
        assertTrue(deployment
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()));
    }

    @Test
    void probesHitTheHealthEndpointsAndShutdownLeavesTimeToDrain() {
        SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");
        resource.getSpec().setDrainSeconds(90);
        Deployment deployment = build(resource, 1);
        Container container = container(deployment);
        assertEquals(
                "/observe/health/ready",
                container.getReadinessProbe().getHttpGet().getPath());
        assertEquals(
                "/observe/health/live",
                container.getLivenessProbe().getHttpGet().getPath());
        assertEquals(
                "admin", container.getReadinessProbe().getHttpGet().getPort().getStrVal());
        assertEquals(
                "admin", container.getLivenessProbe().getHttpGet().getPort().getStrVal());
        long pause = container.getLifecycle().getPreStop().getSleep().getSeconds();
        assertTrue(pause > 0, "preStop pause");
        long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertTrue(grace > pause + 90, "grace " + grace + " must cover pause + drain + margin");
        assertEquals(pause + 90 + DeploymentModel.GRACE_MARGIN_SECONDS, grace);
        assertEquals(
                0,
                deployment
                        .getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal(),
                "rollouts never reduce capacity");
    }

    @Test
    void embeddedRecognizerGetsSessionAndDrainSettingsButNoRivaVariables() {
        SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");
        resource.getSpec().getSessions().setMaxPerReplica(120);
        resource.getSpec().getSessions().setTargetPerReplica(80);
        Map<String, EnvVar> env = env(build(resource, 1));
        assertEquals("120", env.get("SESSIONS_MAX").getValue());
        assertEquals("60", env.get("SERVER_DRAIN__SECONDS").getValue());
        assertEquals("8080", env.get("SERVER_PORT").getValue());
        assertFalse(env.containsKey("RIVA_ENDPOINT"));
        assertFalse(env.containsKey("RIVA_API__KEY"));
    }

    @Test
    void externalRivaSettingsAndTheApiKeyComeFromTheSpecAndTheSecret() {
        SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");
        resource.getSpec().getRiva().setEndpoint("grpc.nvcf.nvidia.com:443");
        resource.getSpec().getRiva().setTls(true);
        resource.getSpec().getRiva().setFunctionId("fn-123");
        resource.getSpec().getRiva().setApiKeySecretRef(new SecretKeyRef("ngc", "api-key"));
        Map<String, EnvVar> env = env(build(resource, 1));
        assertEquals("grpc.nvcf.nvidia.com:443", env.get("RIVA_ENDPOINT").getValue());
        assertEquals("true", env.get("RIVA_TLS").getValue());
        assertEquals("fn-123", env.get("RIVA_FUNCTION__ID").getValue());
        EnvVar key = env.get("RIVA_API__KEY");
        assertNull(key.getValue(), "the key itself never appears in the Deployment");
        assertEquals("ngc", key.getValueFrom().getSecretKeyRef().getName());
        assertEquals("api-key", key.getValueFrom().getSecretKeyRef().getKey());
    }

    @Test
    void userEnvIsAddedAndOverridesTheOperatorsVariables() {
        SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");
        resource.getSpec()
                .setEnv(List.of(
                        new EnvVarBuilder()
                                .withName("JAVA_TOOL_OPTIONS")
                                .withValue("-Xmx1g")
                                .build(),
                        new EnvVarBuilder()
                                .withName("SESSIONS_MAX")
                                .withValue("99")
                                .build()));
        List<EnvVar> env = container(build(resource, 1)).getEnv();
        assertEquals(
                1, env.stream().filter(e -> e.getName().equals("SESSIONS_MAX")).count());
        Map<String, EnvVar> byName = env.stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertEquals("99", byName.get("SESSIONS_MAX").getValue());
        assertEquals("-Xmx1g", byName.get("JAVA_TOOL_OPTIONS").getValue());
    }

    @Test
    void resourcesTheSpecSetsAreUsedAsGivenAndServiceLinksAreOff() {
        SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");
        resource.getSpec()
                .setResources(new ResourceRequirementsBuilder()
                        .addToRequests("cpu", new Quantity("2"))
                        .addToLimits("memory", new Quantity("2Gi"))
                        .build());
        Deployment deployment = build(resource, 1);
        assertEquals(
                new Quantity("2"),
                container(deployment).getResources().getRequests().get("cpu"));
        assertEquals(
                new Quantity("2Gi"),
                container(deployment).getResources().getLimits().get("memory"));
        assertEquals(
                List.of("cpu"),
                List.copyOf(container(deployment).getResources().getRequests().keySet()),
                "nothing filled in");
        assertEquals(
                List.of("memory"),
                List.copyOf(container(deployment).getResources().getLimits().keySet()));
        assertFalse(env(deployment).containsKey("ASR_POOL__SIZE"), "the pool stays the gateway's choice");
        assertFalse(deployment.getSpec().getTemplate().getSpec().getEnableServiceLinks());
    }
}

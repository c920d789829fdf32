package dev.earshot.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.crd.AuthSpec;
import dev.earshot.operator.crd.KeyFileRef;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.testing.AuthSpecs;
import dev.earshot.operator.testing.SpeechServices;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What {@code spec.auth} and {@code riva.allowedModels} put into the gateway pods. */
class AuthModelTest {

    private final SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");

    private PodSpec pod() {
        SpeechServiceConfig config = assertInstanceOf(
                        SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(resource.getSpec()))
                .config();
        return DeploymentModel.build(resource, config, 1)
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    private static Container container(PodSpec pod) {
        return pod.getContainers().get(0);
    }

    private static Map<String, String> env(PodSpec pod) {
        return container(pod).getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name + " in " + pod.getVolumes()));
    }

    private static VolumeMount mount(PodSpec pod, String volume) {
        return container(pod).getVolumeMounts().stream()
                .filter(m -> m.getName().equals(volume))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mount of " + volume));
    }

    /**
     * The file the container sees for a variable: the mount of the volume that projects it, the
     * item's path within the mount, and nothing mounted with subPath (the kubelet never updates
     * those).
     */
    private static void assertFileFromVolume(PodSpec pod, String variable, String volume, String key) {
        VolumeMount mount = mount(pod, volume);
        assertEquals(Boolean.TRUE, mount.getReadOnly(), volume + " is mounted read-only");
        assertTrue(mount.getSubPath() == null || mount.getSubPath().isEmpty(), volume + ": a directory, no subPath");
        assertNull(mount.getSubPathExpr());
        Volume v = volume(pod, volume);
        List<KeyToPath> items = v.getSecret() != null
                ? v.getSecret().getItems()
                : v.getConfigMap().getItems();
        assertEquals(1, items.size(), "only the one entry is projected");
        assertEquals(key, items.get(0).getKey());
        assertEquals(mount.getMountPath() + "/" + items.get(0).getPath(), env(pod).get(variable));
    }

    @Test
    void apiKeysComeFromTheSecretMountedReadOnlyAsADirectory() {
        resource.getSpec().setAuth(AuthSpecs.apiKeys("earshot-api-keys"));
        PodSpec pod = pod();
        assertEquals("api-key", env(pod).get("AUTH_MODE"));
        assertEquals("/etc/earshot/api-keys/api-keys", env(pod).get("AUTH_API__KEYS__FILE"));
        assertFileFromVolume(pod, "AUTH_API__KEYS__FILE", "auth-api-keys", "api-keys");
        Volume secret = volume(pod, "auth-api-keys");
        assertEquals("earshot-api-keys", secret.getSecret().getSecretName());
        assertTrue(
                secret.getSecret().getOptional() == null || !secret.getSecret().getOptional(),
                "without the Secret the pods wait instead of starting without keys");
        assertEquals("/etc/earshot/api-keys", mount(pod, "auth-api-keys").getMountPath());
        assertEquals("/tmp", mount(pod, "tmp").getMountPath(), "the pod keeps its /tmp");
    }

    @Test
    void everyFileOfJwtAndTokensIsMountedAndNamedAndTheQuotasArePassedOn() {
        AuthSpec auth = AuthSpecs.apiKeys("keys");
        auth.setMode("api-key,jwt");
        auth.getApiKeysSecretRef().setKey("team-keys");
        auth.setTokenSigningKeySecretRef(new KeyFileRef("token-key", null));
        auth.setJwt(AuthSpecs.jwt("https://idp.example.com/", "earshot", "idp-keys"));
        auth.setMaxSessionsPerPrincipal(3);
        auth.setSessionsPerMinutePerPrincipal(20);
        resource.getSpec().setAuth(auth);
        PodSpec pod = pod();
        Map<String, String> env = env(pod);

        assertEquals("api-key,jwt", env.get("AUTH_MODE"));
        assertFileFromVolume(pod, "AUTH_API__KEYS__FILE", "auth-api-keys", "team-keys");
        assertFileFromVolume(pod, "AUTH_TOKEN__SIGNING__KEY__FILE", "auth-token-signing-key", "signing-key");
        assertEquals(
                "token-key", volume(pod, "auth-token-signing-key").getSecret().getSecretName());
        assertFileFromVolume(pod, "AUTH_JWT_JWKS__FILE", "auth-jwks", "jwks.json");
        assertEquals("idp-keys", volume(pod, "auth-jwks").getConfigMap().getName());
        assertNull(volume(pod, "auth-jwks").getSecret(), "a key set is public: a ConfigMap");
        assertEquals("https://idp.example.com/", env.get("AUTH_JWT_ISSUER"));
        assertEquals("earshot", env.get("AUTH_JWT_AUDIENCE"));
        assertEquals("3", env.get("AUTH_MAX__SESSIONS__PER__PRINCIPAL"));
        assertEquals("20", env.get("AUTH_SESSIONS__PER__MINUTE__PER__PRINCIPAL"));
        List<String> mountPaths = container(pod).getVolumeMounts().stream()
                .map(VolumeMount::getMountPath)
                .toList();
        assertEquals(mountPaths.size(), mountPaths.stream().distinct().count(), "one directory per file");
    }

    @Test
    void withoutAuthThePodsGetNoAuthSettingsAndNoExtraVolumes() {
        PodSpec pod = pod();
        assertTrue(
                env(pod).keySet().stream().noneMatch(name -> name.startsWith("AUTH_")),
                "the gateway's default (none), or what the user's env says");
        assertEquals(
                List.of("tmp"), pod.getVolumes().stream().map(Volume::getName).toList());
        assertEquals(1, container(pod).getVolumeMounts().size());
    }

    @Test
    void modeNoneIsPassedOnAndMountsNothing() {
        AuthSpec auth = new AuthSpec();
        auth.setMode("none");
        resource.getSpec().setAuth(auth);
        PodSpec pod = pod();
        assertEquals("none", env(pod).get("AUTH_MODE"));
        assertEquals(1, pod.getVolumes().size());
    }

    @Test
    void theUsersEnvStillHasTheLastWord() {
        resource.getSpec().setAuth(AuthSpecs.apiKeys("earshot-api-keys"));
        resource.getSpec()
                .setEnv(List.of(
                        new EnvVarBuilder()
                                .withName("AUTH_TOKEN__TTL")
                                .withValue("PT1M")
                                .build(),
                        new EnvVarBuilder()
                                .withName("AUTH_MODE")
                                .withValue("api-key,jwt")
                                .build()));
        Map<String, String> env = env(pod());
        assertEquals("api-key,jwt", env.get("AUTH_MODE"));
        assertEquals("PT1M", env.get("AUTH_TOKEN__TTL"));
        assertNotNull(env.get("AUTH_API__KEYS__FILE"));
    }

    @Test
    void allowedModelsReachThePodsAsACommaList() {
        resource.getSpec().getRiva().setEndpoint("riva:50051");
        resource.getSpec().getRiva().setAllowedModels(List.of("parakeet-ctc-0.6b-asr", " conformer-en-US "));
        assertEquals("parakeet-ctc-0.6b-asr,conformer-en-US", env(pod()).get("RIVA_ALLOWED__MODELS"));
        resource.getSpec().getRiva().setAllowedModels(List.of());
        assertNull(env(pod()).get("RIVA_ALLOWED__MODELS"), "empty: any model");
    }
}

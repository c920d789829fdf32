package dev.earshot.operator.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.EarshotOperator;
import dev.earshot.operator.autoscale.AutoscalerSettings;
import dev.earshot.operator.crd.AuthSpec;
import dev.earshot.operator.crd.KeyFileRef;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.testing.AuthSpecs;
import dev.earshot.operator.testing.Conflicts;
import dev.earshot.operator.testing.MockCluster;
import dev.earshot.operator.testing.SpeechServices;
import dev.earshot.operator.testing.TestOperators;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.auth} through the operator running in-process against the fabric8 CRUD mock API
 * server: the Deployment it applies mounts the Secrets and passes the settings, and an auth block
 * the pods could not start with is refused without touching the running pods. (The mock evaluates
 * no CEL, so this is the operator's own check, the one that protects clusters with an older CRD.)
 */
@EnableKubernetesMockClient(crud = true)
class SpeechServiceAuthTest {

    private static final String NS = "auth";
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

    private static PodSpec pod(String name) {
        Deployment deployment =
                client.apps().deployments().inNamespace(NS).withName(name).get();
        return deployment == null ? null : deployment.getSpec().getTemplate().getSpec();
    }

    private static Map<String, String> env(PodSpec pod) {
        Container container = pod.getContainers().get(0);
        return container.getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static Condition ready(String name) {
        SpeechService resource = client.resources(SpeechService.class)
                .inNamespace(NS)
                .withName(name)
                .get();
        return resource.getStatus() == null
                ? null
                : Conditions.find(resource.getStatus().getConditions(), Conditions.READY);
    }

    private static void update(String name, Consumer<SpeechService> change) {
        Conflicts.edit(client, NS, name, change);
    }

    @Test
    void aSpeechServiceWithAuthGetsPodsThatMountItsSecretsAndKnowItsSettings() {
        SpeechService resource = SpeechServices.toCreate(NS, "keyed", "earshot:1.0");
        AuthSpec auth = AuthSpecs.apiKeys("earshot-api-keys");
        auth.setTokenSigningKeySecretRef(new KeyFileRef("earshot-token-signing-key", null));
        auth.setMaxSessionsPerPrincipal(5);
        resource.getSpec().setAuth(auth);
        resource.getSpec().getRiva().setEndpoint("riva:50051");
        resource.getSpec().getRiva().setAllowedModels(List.of("parakeet-ctc-0.6b-asr"));
        client.resource(resource).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> pod("keyed") != null && ready("keyed") != null);
        assertEquals("RollingOut", ready("keyed").getReason(), "a valid spec");
        PodSpec pod = pod("keyed");
        Map<String, String> env = env(pod);
        assertEquals("api-key", env.get("AUTH_MODE"));
        assertEquals("/etc/earshot/api-keys/api-keys", env.get("AUTH_API__KEYS__FILE"));
        assertEquals("/etc/earshot/token-signing-key/signing-key", env.get("AUTH_TOKEN__SIGNING__KEY__FILE"));
        assertEquals("5", env.get("AUTH_MAX__SESSIONS__PER__PRINCIPAL"));
        assertEquals("parakeet-ctc-0.6b-asr", env.get("RIVA_ALLOWED__MODELS"));

        Map<String, String> secrets = pod.getVolumes().stream()
                .filter(v -> v.getSecret() != null)
                .collect(Collectors.toMap(Volume::getName, v -> v.getSecret().getSecretName()));
        assertEquals(
                Map.of(
                        "auth-api-keys", "earshot-api-keys",
                        "auth-token-signing-key", "earshot-token-signing-key"),
                secrets);
        List<VolumeMount> mounts = pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> secrets.containsKey(m.getName()))
                .toList();
        assertEquals(2, mounts.size());
        assertTrue(mounts.stream().allMatch(m -> Boolean.TRUE.equals(m.getReadOnly()) && m.getSubPath() == null));
    }

    @Test
    void authTheGatewayCouldNotStartWithIsRefusedAndTheRunningPodsAreKept() {
        client.resource(SpeechServices.toCreate(NS, "open", "earshot:1.0")).create();
        // Until the first status is written: the CRUD mock loses a status patch that races an update.
        await().atMost(Duration.ofSeconds(20)).until(() -> pod("open") != null && ready("open") != null);
        assertNull(env(pod("open")).get("AUTH_MODE"));

        AuthSpec withoutSecret = new AuthSpec();
        withoutSecret.setMode("api-key");
        update("open", r -> r.getSpec().setAuth(withoutSecret));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Condition ready = ready("open");
            assertNotNull(ready);
            assertEquals("InvalidSpec", ready.getReason());
            assertEquals(
                    "auth.mode api-key needs auth.apiKeysSecretRef (the Secret with the API keys file)",
                    ready.getMessage());
        });
        assertNull(env(pod("open")).get("AUTH_MODE"), "nothing from the invalid spec is applied");
        assertEquals(1, pod("open").getVolumes().size());

        update("open", r -> r.getSpec().getAuth().setApiKeysSecretRef(new KeyFileRef("earshot-api-keys", null)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertEquals("api-key", env(pod("open")).get("AUTH_MODE"));
            assertEquals("RollingOut", ready("open").getReason());
        });
        assertEquals(
                "earshot-api-keys",
                pod("open").getVolumes().stream()
                        .filter(v -> v.getName().equals("auth-api-keys"))
                        .findFirst()
                        .orElseThrow()
                        .getSecret()
                        .getSecretName());
    }
}

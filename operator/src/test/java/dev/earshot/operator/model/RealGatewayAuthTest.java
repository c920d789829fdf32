package dev.earshot.operator.model;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.testing.AuthSpecs;
import dev.earshot.operator.testing.EarshotProcess;
import dev.earshot.operator.testing.PodFiles;
import dev.earshot.operator.testing.SpeechServices;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pod {@link DeploymentModel} builds for a SpeechService with {@code spec.auth}, run for real:
 * an {@code earshot serve} process with the container's environment and its Secret volume laid
 * out as the kubelet does it, the Secret made with the commands the docs give. This is what ties
 * the operator's variable names and mount paths to what the gateway reads.
 */
class RealGatewayAuthTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static int sessions(EarshotProcess gateway, String key) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(gateway.publicUri("/api/v1/sessions")).timeout(Duration.ofSeconds(5));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void thePodsGatewayWantsAKeyFromTheSecretAndDropsOneTheSecretNoLongerHas() throws Exception {
        // java -jar earshot.jar keys new NAME --file api-keys, twice
        Path keysFile = dir.resolve("api-keys");
        String alice = EarshotProcess.newApiKey("alice", keysFile);
        String bob = EarshotProcess.newApiKey("bob", keysFile);

        SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");
        resource.getSpec().setAuth(AuthSpecs.apiKeys("earshot-api-keys"));
        SpeechServiceConfig config = assertInstanceOf(
                        SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(resource.getSpec()))
                .config();
        PodSpec pod = DeploymentModel.build(resource, config, 1)
                .getSpec()
                .getTemplate()
                .getSpec();

        // kubectl create secret generic earshot-api-keys --from-file=api-keys
        PodFiles files = PodFiles.mount(
                pod, dir.resolve("pod"), Map.of("earshot-api-keys", Map.of("api-keys", Files.readString(keysFile))));
        try (EarshotProcess gateway = EarshotProcess.start(4, files.env())) {
            assertEquals(401, sessions(gateway, null), "no key");
            assertEquals(401, sessions(gateway, alice + "x"), "a wrong key");
            assertEquals(200, sessions(gateway, alice));
            assertEquals(200, sessions(gateway, bob));

            // Bob's line removed and the Secret replaced: the kubelet swaps the file in place.
            String withoutBob = Files.readString(keysFile)
                    .lines()
                    .filter(line -> !line.startsWith("bob "))
                    .collect(Collectors.joining("\n", "", "\n"));
            assertTrue(withoutBob.contains("alice sha256:"), withoutBob);
            files.update("earshot-api-keys", Map.of("api-keys", withoutBob));
            await("bob's key revoked without a restart")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> sessions(gateway, bob) == 401);
            assertEquals(200, sessions(gateway, alice), "alice keeps working");
        }
    }
}

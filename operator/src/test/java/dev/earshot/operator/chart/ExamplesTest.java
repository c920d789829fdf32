package dev.earshot.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.model.SpeechServiceConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SpeechServices under {@code examples/} are what users apply first, so each must pass the
 * operator's own validation, install the same through the chart, and be sized for what it runs.
 */
class ExamplesTest {

    /**
     * The embedded recognizer's heap, as its default pool size reckons it (service's
     * {@code dev.earshot.asr.PoolSize}; measured, see the README): one model shared by every
     * decoder, the working set of each stream being decoded, and the rest of the service.
     */
    private static final long MODEL_HEAP = 180L << 20;

    private static final long STREAM_HEAP = 40L << 20;

    private static final long BASE_HEAP = 200L << 20;

    /** Live streams one core keeps in real time (service's {@code PoolSize.STREAMS_PER_CORE}). */
    private static final int STREAMS_PER_CORE = 2;

    /** The Secrets the examples and the chart take API keys and the token signing key from. */
    private static final String API_KEYS_SECRET = "earshot-api-keys";

    private static final String SIGNING_KEY_SECRET = "earshot-token-signing-key";

    static List<Path> examples() {
        return Examples.files();
    }

    @Test
    void thereIsAnExampleForEachKindOfRiva() {
        Set<String> kinds = examples().stream()
                .map(Examples::speechService)
                .map(s -> {
                    var riva = s.getSpec().getRiva();
                    if (riva.getEndpoint() == null || riva.getEndpoint().isEmpty()) {
                        return "embedded";
                    }
                    return riva.getApiKeySecretRef() != null ? "cloud" : "self-hosted";
                })
                .collect(Collectors.toSet());
        assertEquals(Set.of("embedded", "self-hosted", "cloud"), kinds);
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theOperatorAcceptsTheExampleAndItUsesTheImageOfThisBuild(Path file) {
        SpeechService example = Examples.speechService(file);
        assertInstanceOf(
                SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(example.getSpec()), Examples.name(file));
        assertEquals("earshot:" + Repository.version(), example.getSpec().getImage());
        assertNotNull(example.getSpec().getResources(), "every example sets resources");
        assertNotNull(example.getSpec().getResources().getLimits().get("memory"));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theChartInstallsTheExampleUnchanged(Path file) {
        SpeechService example = Examples.speechService(file);
        SpeechService rendered = HelmChart.render(Examples.chartValues(file)).one(SpeechService.class);
        assertEquals(example.getMetadata().getName(), rendered.getMetadata().getName());
        assertEquals(Examples.specAsMap(example), Examples.specAsMap(rendered));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void anApiKeyComesFromASecretInTheSameFile(Path file) {
        RenderedChart objects = Examples.parse(file);
        var reference = objects.one(SpeechService.class).getSpec().getRiva().getApiKeySecretRef();
        if (reference == null) {
            assertTrue(objects.all(Secret.class).isEmpty(), "no Secret without a reference to it");
            return;
        }
        Secret secret = objects.named(Secret.class, reference.getName());
        Map<String, String> data = secret.getStringData() != null ? secret.getStringData() : secret.getData();
        assertTrue(data.containsKey(reference.getKey()), "the Secret holds key " + reference.getKey());
    }

    @ParameterizedTest
    @MethodSource("examples")
    void anEmbeddedRecognizerGetsTheHeapItsDecodersNeedAndNoMoreSessionsThanDecoders(Path file) {
        SpeechService example = Examples.speechService(file);
        String endpoint = example.getSpec().getRiva().getEndpoint();
        if (endpoint != null && !endpoint.isEmpty()) {
            assertFalse(
                    example.getSpec().getEnv().stream()
                            .anyMatch(e -> e.getName().startsWith("ASR_")),
                    "no decoder settings where no decoder runs");
            return;
        }
        int decoders = Integer.parseInt(example.getSpec().getEnv().stream()
                .filter(e -> e.getName().equals("ASR_POOL__SIZE"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("set ASR_POOL__SIZE: the default (2 x cores) depends on the node")));
        long limit = Quantity.getAmountInBytes(
                        example.getSpec().getResources().getLimits().get("memory"))
                .longValue();
        long heap = BigDecimal.valueOf(limit)
                .multiply(BigDecimal.valueOf(serviceMaxRamPercentage()))
                .divide(BigDecimal.valueOf(100))
                .longValue();
        assertTrue(
                heap >= MODEL_HEAP + decoders * STREAM_HEAP + BASE_HEAP,
                "heap " + (heap >> 20) + " MiB for " + decoders + " decoders");
        assertTrue(
                example.getSpec().getSessions().getMaxPerReplica() <= decoders,
                "each session holds a decoder; more would be refused with RESOURCE_EXHAUSTED");
        double cores = Quantity.getAmountInBytes(
                        example.getSpec().getResources().getRequests().get("cpu"))
                .doubleValue();
        assertTrue(
                decoders <= STREAMS_PER_CORE * cores,
                decoders + " decoders on " + cores + " cores: more than the cores keep in real time");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void anExampleInFrontOfARivaTakesApiKeysAndSaysHowToMakeTheSecrets(Path file) {
        SpeechService example = Examples.speechService(file);
        String text = Repository.read(file);
        String endpoint = example.getSpec().getRiva().getEndpoint();
        if (endpoint == null || endpoint.isEmpty()) {
            assertNull(example.getSpec().getAuth(), "the embedded quick start stays open");
            assertTrue(text.contains("has no `auth`: anyone who reaches its Service"), "and says so");
            return;
        }
        var auth = example.getSpec().getAuth();
        assertNotNull(auth, "a gateway that spends Riva capacity requires credentials");
        assertEquals("api-key", auth.getMode());
        assertEquals(API_KEYS_SECRET, auth.getApiKeysSecretRef().getName());
        assertNull(auth.getApiKeysSecretRef().getKey(), "the default entry, api-keys, as --from-file names it");
        assertEquals(SIGNING_KEY_SECRET, auth.getTokenSigningKeySecretRef().getName());
        assertInstanceOf(SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(example.getSpec()));
        for (String command : List.of(
                "java -jar service/target/earshot.jar keys new alice --file api-keys",
                "kubectl create secret generic " + API_KEYS_SECRET + " --from-file=api-keys",
                "head -c 32 /dev/urandom > signing-key",
                "kubectl create secret generic " + SIGNING_KEY_SECRET + " --from-file=signing-key")) {
            assertTrue(text.contains("#   " + command), Examples.name(file) + " shows: " + command);
        }
    }

    @Test
    void theChartsSpeechServiceInFrontOfARivaTakesApiKeysLikeTheExamplesUnlessItsSpecSaysOtherwise() {
        Path riva = Repository.examples().resolve("speechservice-riva.yaml");
        Map<String, Object> example = Examples.specAsMap(Examples.speechService(riva));
        SpeechService rendered = HelmChart.render(Map.of(
                        "speechService",
                        Map.of("enabled", true, "spec", Map.of("riva", Map.of("endpoint", "riva:50051")))))
                .one(SpeechService.class);
        assertEquals(example.get("auth"), Examples.specAsMap(rendered).get("auth"));

        Map<String, Object> jwt = Map.of(
                "mode",
                "jwt",
                "jwt",
                Map.of("issuer", "https://idp/", "audience", "earshot", "jwksConfigMapRef", Map.of("name", "idp")));
        SpeechService own = HelmChart.render(Map.of(
                        "speechService",
                        Map.of("enabled", true, "spec", Map.of("riva", Map.of("endpoint", "riva:50051"), "auth", jwt))))
                .one(SpeechService.class);
        assertEquals(jwt, Examples.specAsMap(own).get("auth"), "taken whole: no Secret of the default mixed in");
        assertNull(
                HelmChart.render(Map.of("speechService", Map.of("enabled", true)))
                        .one(SpeechService.class)
                        .getSpec()
                        .getAuth(),
                "the embedded quick start stays open");
    }

    @Test
    void theChartsOwnSpeechServiceIsTheEmbeddedExample() {
        Path embedded = Repository.examples().resolve("speechservice-embedded.yaml");
        SpeechService rendered = HelmChart.render(Map.of("speechService", Map.of("enabled", true)))
                .one(SpeechService.class);
        assertEquals(Examples.specAsMap(Examples.speechService(embedded)), Examples.specAsMap(rendered));
    }

    /** The heap share the service image gives the JVM: -XX:MaxRAMPercentage in its Dockerfile. */
    private static double serviceMaxRamPercentage() {
        String dockerfile = Repository.read(Repository.root().resolve("service/Dockerfile"));
        Matcher matcher = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(dockerfile);
        assertTrue(matcher.find(), "service/Dockerfile sets -XX:MaxRAMPercentage");
        return Double.parseDouble(matcher.group(1));
    }
}

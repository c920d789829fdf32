package dev.earshot.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.crd.SpeechServiceSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sizing figures documented in the CRD, docs/operator.md and the README. */
class DefaultResourcesTest {

    private static SpeechServiceSpec spec(int maxPerReplica, EnvVar... env) {
        SpeechServiceSpec spec = new SpeechServiceSpec();
        spec.setImage("earshot:1.0");
        spec.getSessions().setTargetPerReplica(1);
        spec.getSessions().setMaxPerReplica(maxPerReplica);
        spec.setEnv(new ArrayList<>(List.of(env)));
        return spec;
    }

    private static SpeechServiceConfig config(SpeechServiceSpec spec) {
        return assertInstanceOf(SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(spec))
                .config();
    }

    private static Recognizer recognizer(SpeechServiceSpec spec) {
        return Recognizer.of(config(spec));
    }

    private static EnvVar var(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static void assertSized(String cpu, String memory, ResourceRequirements resources) {
        assertEquals(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)), resources.getRequests());
        assertEquals(
                Map.of("memory", new Quantity(memory)),
                resources.getLimits(),
                "a memory limit only, equal to the request");
    }

    @Test
    void twoSphinxDecodersGetAThirdOfACoreEachAndTheSharedModelOnTopOfTheGateway() {
        SpeechServiceSpec spec = spec(2, var("ASR_POOL__SIZE", "2"));
        // 100m + 2 sessions x 1m + 2 x 500m; 384Mi + 1Mi (2 sessions at 64Ki) + 256Mi + 2 x 64Mi
        assertSized("1102m", "769Mi", DefaultResources.of(2, recognizer(spec)));
    }

    @Test
    void withoutAPoolSizeTheDecodersFollowMaxPerReplicaUpToFour() {
        assertEquals(new Recognizer(Recognizer.Engine.SPHINX4, 3, false), recognizer(spec(3)));
        assertEquals(new Recognizer(Recognizer.Engine.SPHINX4, 4, false), recognizer(spec(150)));
        // 100m + 150m + 4 x 500m; 384Mi + 10Mi (150 sessions) + 256Mi + 4 x 64Mi
        assertSized("2250m", "906Mi", DefaultResources.of(150, recognizer(spec(150))));
    }

    @Test
    void theUsersPoolSizeSetsTheDecoderCountWhateverMaxPerReplicaSays() {
        SpeechServiceSpec spec = spec(150, var("ASR_POOL__SIZE", " 6 "));
        assertEquals(new Recognizer(Recognizer.Engine.SPHINX4, 6, true), recognizer(spec));
        assertSized("3250m", "1034Mi", DefaultResources.of(150, recognizer(spec)));
    }

    @Test
    void aPoolSizeTheOperatorCannotReadFallsBackToTheDefaultDecodersButCountsAsTheUsers() {
        EnvVar fromConfigMap = new EnvVarBuilder()
                .withName("ASR_POOL__SIZE")
                .withNewValueFrom()
                .withNewConfigMapKeyRef()
                .withName("asr")
                .withKey("pool")
                .endConfigMapKeyRef()
                .endValueFrom()
                .build();
        assertEquals(new Recognizer(Recognizer.Engine.SPHINX4, 3, true), recognizer(spec(3, fromConfigMap)));
        assertEquals(
                new Recognizer(Recognizer.Engine.SPHINX4, 3, true), recognizer(spec(3, var("ASR_POOL__SIZE", "many"))));
    }

    @Test
    void anExternalRivaSizesTheGatewayAloneFromMaxPerReplica() {
        SpeechServiceSpec spec = spec(1500, var("ASR_POOL__SIZE", "8"));
        spec.getRiva().setEndpoint("riva.internal:50051");
        assertEquals(new Recognizer(Recognizer.Engine.EXTERNAL_RIVA, 0, false), recognizer(spec));
        // 100m + 1500 x 1m; 384Mi + 94Mi (1500 sessions at 64Ki, rounded up)
        assertSized("1600m", "478Mi", DefaultResources.of(1500, recognizer(spec)));
    }

    @Test
    void theSyntheticEngineSizesTheGatewayAlone() {
        SpeechServiceSpec spec = spec(150, var("ASR_ENGINE", "Synthetic"));
        assertEquals(Recognizer.Engine.SYNTHETIC, recognizer(spec).engine());
        assertSized("250m", "394Mi", DefaultResources.of(150, recognizer(spec)));
    }

    @Test
    void quantitiesAreWrittenInTheApiServersCanonicalForm() {
        SpeechServiceSpec external = spec(900);
        external.getRiva().setEndpoint("riva:50051");
        assertEquals(
                "1",
                DefaultResources.of(900, recognizer(external))
                        .getRequests()
                        .get("cpu")
                        .toString(),
                "100m + 900m");
        SpeechServiceSpec embedded = spec(2048, var("ASR_POOL__SIZE", "4"));
        // 384Mi + 128Mi (2048 sessions) + 256Mi + 4 x 64Mi
        assertEquals(
                "1Gi",
                DefaultResources.of(2048, recognizer(embedded))
                        .getLimits()
                        .get("memory")
                        .toString());
        assertEquals("1650m", DefaultResources.cpu(1650).toString());
        assertEquals("906Mi", DefaultResources.memory(906).toString());
    }

    @Test
    void onlyAbsentOrEmptyResourcesCountAsUnset() {
        assertTrue(DefaultResources.isUnset(null));
        assertTrue(DefaultResources.isUnset(new ResourceRequirements()));
        assertTrue(DefaultResources.isUnset(new ResourceRequirementsBuilder()
                .withRequests(Map.of())
                .withLimits(Map.of())
                .build()));
        assertFalse(DefaultResources.isUnset(new ResourceRequirementsBuilder()
                .addToLimits("memory", new Quantity("1Gi"))
                .build()));
        assertFalse(DefaultResources.isUnset(new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("1"))
                .build()));
    }
}

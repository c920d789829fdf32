package dev.earshot.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.crd.SecretKeyRef;
import dev.earshot.operator.crd.SpeechServiceSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpeechServiceConfigTest {

    private static SpeechServiceSpec spec() {
        SpeechServiceSpec spec = new SpeechServiceSpec();
        spec.setImage("earshot:1.0");
        return spec;
    }

    private static SpeechServiceConfig valid(SpeechServiceSpec spec) {
        return assertInstanceOf(SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(spec))
                .config();
    }

    private static String problems(SpeechServiceSpec spec) {
        return assertInstanceOf(SpeechServiceConfig.Invalid.class, SpeechServiceConfig.from(spec))
                .message();
    }

    @Test
    void aSpecWithOnlyTheImageGetsTheDocumentedDefaults() {
        SpeechServiceConfig config = valid(spec());
        assertEquals(1, config.minReplicas());
        assertEquals(10, config.maxReplicas());
        assertEquals(100, config.targetSessionsPerReplica());
        assertEquals(150, config.maxSessionsPerReplica());
        assertEquals(Duration.ofSeconds(15), config.scaling().poll());
        assertEquals(0.1, config.scaling().tolerance());
        assertEquals(Duration.ZERO, config.scaling().scaleUpStabilization());
        assertEquals(Duration.ofSeconds(300), config.scaling().scaleDownStabilization());
        assertTrue(config.riva().embedded());
        assertEquals(1, config.scaling().maxDraining());
        assertEquals(Duration.ofHours(1), config.scaling().drainTimeout());
        assertEquals(3600, config.drainSeconds());
        assertEquals(8080, config.port());
    }

    @Test
    void theNetworkPolicyIsOffUnlessEnabled() {
        assertFalse(valid(spec()).networkPolicy());
        SpeechServiceSpec without = spec();
        without.setNetworkPolicy(null);
        assertFalse(valid(without).networkPolicy());
        SpeechServiceSpec enabled = spec();
        enabled.getNetworkPolicy().setEnabled(true);
        assertTrue(valid(enabled).networkPolicy());
    }

    @Test
    void nullSubObjectsCountAsDefaults() {
        SpeechServiceSpec spec = spec();
        spec.setReplicas(null);
        spec.setSessions(null);
        spec.setScaling(null);
        spec.setRiva(null);
        spec.setEnv(null);
        spec.setNetworkPolicy(null);
        assertEquals(valid(spec()), valid(spec));
    }

    @Test
    void targetAboveTheHardMaximumIsRejected() {
        SpeechServiceSpec spec = spec();
        spec.getSessions().setTargetPerReplica(200);
        assertTrue(problems(spec)
                .contains("sessions.targetPerReplica (200) must not exceed sessions.maxPerReplica (150)"));
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        SpeechServiceSpec spec = new SpeechServiceSpec();
        spec.getReplicas().setMin(5);
        spec.getReplicas().setMax(2);
        spec.getScaling().setTolerance(1.5);
        spec.setPort(0);
        String problems = problems(spec);
        assertTrue(problems.contains("spec.image is required"), problems);
        assertTrue(problems.contains("replicas.max (2) must not be below replicas.min (5)"), problems);
        assertTrue(problems.contains("scaling.tolerance"), problems);
        assertTrue(problems.contains("port must be within 1..65535"), problems);
    }

    @Test
    void theDrainTimeoutIsAnIsoDurationOfAtMostADayAndTheDrainSecondsRoundItUp() {
        SpeechServiceSpec spec = spec();
        spec.getScaling().setDrainTimeout("PT90.5S");
        assertEquals(91, valid(spec).drainSeconds());
        spec.getScaling().setDrainTimeout("90s");
        assertTrue(problems(spec).contains("scaling.drainTimeout must be an ISO-8601 duration"), problems(spec));
        spec.getScaling().setDrainTimeout("P2D");
        assertTrue(problems(spec).contains("scaling.drainTimeout must be within PT0S..PT24H (got P2D)"));
        spec.getScaling().setDrainTimeout("PT0S");
        assertEquals(0, valid(spec).drainSeconds());
        spec.getScaling().setMaxDraining(0);
        assertTrue(problems(spec).contains("scaling.maxDraining must be at least 1 (got 0)"));
    }

    @Test
    void anApiKeyReferenceNeedsNameAndKey() {
        SpeechServiceSpec spec = spec();
        spec.getRiva().setApiKeySecretRef(new SecretKeyRef("riva-key", " "));
        assertTrue(problems(spec).contains("riva.apiKeySecretRef needs both name and key"));
    }

    @Test
    void aMissingSpecIsInvalid() {
        assertEquals(
                "spec is missing",
                assertInstanceOf(SpeechServiceConfig.Invalid.class, SpeechServiceConfig.from(null))
                        .message());
    }
}

package dev.earshot.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.testing.SpeechServices;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceAndDisruptionBudgetModelTest {

    private final SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");

    @Test
    void serviceSelectsTheGatewayPodsOnTheSpecPort() {
        resource.getSpec().setPort(8443);
        SpeechServiceConfig config = assertInstanceOf(
                        SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(resource.getSpec()))
                .config();
        Service service = ServiceModel.build(resource, config);
        assertEquals("asr", service.getMetadata().getName());
        assertEquals(Labels.selector(resource), service.getSpec().getSelector());
        assertEquals(8443, service.getSpec().getPorts().get(0).getPort());
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(
                "uid-asr", service.getMetadata().getOwnerReferences().get(0).getUid());
    }

    @Test
    void disruptionBudgetLetsOnePodDrainAtATime() {
        PodDisruptionBudget pdb = PodDisruptionBudgetModel.build(resource);
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        assertEquals(
                Map.of("app.kubernetes.io/name", "earshot", "app.kubernetes.io/instance", "asr"),
                pdb.getSpec().getSelector().getMatchLabels());
        assertEquals("uid-asr", pdb.getMetadata().getOwnerReferences().get(0).getUid());
    }
}

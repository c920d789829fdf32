package dev.earshot.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.testing.SpeechServices;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetworkPolicyModelTest {

    private final SpeechService resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");

    private NetworkPolicy build() {
        SpeechServiceConfig config = assertInstanceOf(
                        SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(resource.getSpec()))
                .config();
        return NetworkPolicyModel.build(resource, config, Optional.of("earshot-system"));
    }

    @Test
    void admitsTheServicePortFromAnywhereAndNothingElseToThisServicesPods() {
        resource.getSpec().setPort(8443);
        NetworkPolicy policy = build();
        assertEquals("asr", policy.getMetadata().getName());
        assertEquals("ns", policy.getMetadata().getNamespace());
        assertEquals("uid-asr", policy.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals(
                Map.of("app.kubernetes.io/name", "earshot", "app.kubernetes.io/instance", "asr"),
                policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes(), "egress (Riva, DNS) stays open");

        List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
        assertEquals(2, rules.size(), "two rules: the service port and the admin port");
        assertEquals(9090, rules.get(1).getPorts().get(0).getPort().getIntVal(), "the admin port (metrics)");
        assertEquals(
                Map.of("kubernetes.io/metadata.name", "earshot-system"),
                rules.get(1).getFrom().get(0).getNamespaceSelector().getMatchLabels(),
                "the admin port only from the operator's namespace");
        NetworkPolicyPort port = rules.get(0).getPorts().get(0);
        assertEquals(1, rules.get(0).getPorts().size());
        assertEquals(8443, port.getPort().getIntVal());
        assertEquals("TCP", port.getProtocol());
        assertEquals(List.of(), rules.get(0).getFrom(), "no peers listed: every source");
    }

    @Test
    void anOperatorThatDoesNotKnowItsNamespaceKeepsTheAdminPortOpenToItsScrapes() {
        resource.getSpec().setAdminPort(9191);
        SpeechServiceConfig config = assertInstanceOf(
                        SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(resource.getSpec()))
                .config();
        List<NetworkPolicyIngressRule> rules = NetworkPolicyModel.build(resource, config, Optional.empty())
                .getSpec()
                .getIngress();
        assertEquals(2, rules.size());
        assertEquals(9191, rules.get(1).getPorts().get(0).getPort().getIntVal());
        assertEquals(List.of(), rules.get(1).getFrom(), "every source: a local operator scrapes from outside");
    }

    @Test
    void anAdminPortRuleAdmitsOnlyTheOperatorsNamespace() {
        NetworkPolicyIngressRule rule = NetworkPolicyModel.fromNamespace(9091, "earshot-system");
        assertEquals(9091, rule.getPorts().get(0).getPort().getIntVal());
        assertEquals(1, rule.getFrom().size());
        NetworkPolicyPeer peer = rule.getFrom().get(0);
        assertEquals(
                Map.of("kubernetes.io/metadata.name", "earshot-system"),
                peer.getNamespaceSelector().getMatchLabels());
        assertNull(peer.getPodSelector(), "any pod of that namespace");
        assertNull(peer.getIpBlock());
    }
}

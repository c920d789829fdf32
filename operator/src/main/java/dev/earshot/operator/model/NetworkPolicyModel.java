package dev.earshot.operator.model;

import dev.earshot.operator.crd.SpeechService;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import java.util.List;

/**
 * Builds the opt-in NetworkPolicy ({@code spec.networkPolicy.enabled}) of the gateway pods. It
 * selects them and governs ingress only: a pod selected by an Ingress policy receives only what
 * some rule admits, so everything but the listed ports is closed, including the embedded
 * recognizer's gRPC port, which would otherwise let any pod in the cluster bypass the gateway's
 * limits. Egress stays open: the pods call Riva, DNS and whatever a user's endpoint needs.
 *
 * <p>The service port (clients) and the admin port ({@code /observe} metrics for the operator's
 * autoscaler and Prometheus, {@code /admin/sessions}) are both admitted from anywhere for now.
 * The next step is {@code fromNamespace(adminPort, operatorNamespace)} in {@link #rules}, once the
 * operator's {@code POD_NAMESPACE} reaches this model: then only the operator's namespace reaches
 * the admin port, and kubelet probes are unaffected, since NetworkPolicies do not apply to
 * traffic from the pod's own node.
 */
public final class NetworkPolicyModel {

    /** The label the API server puts on every namespace (Kubernetes 1.21+), holding its name. */
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private NetworkPolicyModel() {}

    /**
     * The desired NetworkPolicy.
     *
     * @param owner the SpeechService
     * @param config its validated spec
     * @return a new NetworkPolicy object
     */
    public static NetworkPolicy build(SpeechService owner, SpeechServiceConfig config) {
        return new NetworkPolicyBuilder()
                .withMetadata(Owners.metadata(owner))
                .withNewSpec()
                .withNewPodSelector()
                .withMatchLabels(Labels.selector(owner))
                .endPodSelector()
                .withPolicyTypes("Ingress")
                .withIngress(rules(config))
                .endSpec()
                .build();
    }

    /** Every ingress rule of the policy; anything they do not admit is denied. */
    static List<NetworkPolicyIngressRule> rules(SpeechServiceConfig config) {
        return List.of(fromAnywhere(config.port()), fromAnywhere(config.adminPort()));
    }

    /** Admits TCP to {@code port} from any source, in or outside the cluster. */
    static NetworkPolicyIngressRule fromAnywhere(int port) {
        return new NetworkPolicyIngressRuleBuilder()
                .addNewPort()
                .withProtocol("TCP")
                .withPort(new IntOrString(port))
                .endPort()
                .build();
    }

    /** Admits TCP to {@code port} only from pods in {@code namespace}. */
    static NetworkPolicyIngressRule fromNamespace(int port, String namespace) {
        return new NetworkPolicyIngressRuleBuilder()
                .addNewPort()
                .withProtocol("TCP")
                .withPort(new IntOrString(port))
                .endPort()
                .addNewFrom()
                .withNewNamespaceSelector()
                .addToMatchLabels(NAMESPACE_NAME_LABEL, namespace)
                .endNamespaceSelector()
                .endFrom()
                .build();
    }
}

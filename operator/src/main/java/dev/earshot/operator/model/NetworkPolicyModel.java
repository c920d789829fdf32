package dev.earshot.operator.model;

import dev.earshot.operator.crd.SpeechService;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import java.util.List;
import java.util.Optional;

/**
 * Builds the opt-in NetworkPolicy ({@code spec.networkPolicy.enabled}) of the gateway pods. It
 * selects them and governs ingress only: a pod selected by an Ingress policy receives only what
 * some rule admits, so everything but the listed ports is closed, including the embedded
 * recognizer's gRPC port, which would otherwise let any pod in the cluster bypass the gateway's
 * limits. Egress stays open: the pods call Riva, DNS and whatever a user's endpoint needs.
 *
 * <p>The service port (clients) is admitted from anywhere. The admin port ({@code /observe}
 * metrics, {@code /admin/sessions} with every session) is admitted only from the operator's
 * namespace, whose autoscaler reads the metrics; kubelet probes are unaffected, since
 * NetworkPolicies do not apply to traffic from the pod's own node. An operator that does not
 * know its namespace ({@code POD_NAMESPACE} unset: a run outside the cluster, which reaches the
 * pods from outside any namespace) gets the admin port admitted from anywhere, so that its
 * autoscaler keeps working. Prometheus in another namespace needs a policy of the user's
 * admitting it: NetworkPolicies add up, so that one does not fight this one.
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
     * @param operatorNamespace the operator's namespace, if known
     * @return a new NetworkPolicy object
     */
    public static NetworkPolicy build(
            SpeechService owner, SpeechServiceConfig config, Optional<String> operatorNamespace) {
        return new NetworkPolicyBuilder()
                .withMetadata(Owners.metadata(owner))
                .withNewSpec()
                .withNewPodSelector()
                .withMatchLabels(Labels.selector(owner))
                .endPodSelector()
                .withPolicyTypes("Ingress")
                .withIngress(rules(config, operatorNamespace))
                .endSpec()
                .build();
    }

    /** Every ingress rule of the policy; anything they do not admit is denied. */
    static List<NetworkPolicyIngressRule> rules(SpeechServiceConfig config, Optional<String> operatorNamespace) {
        return List.of(
                fromAnywhere(config.port()),
                operatorNamespace
                        .map(namespace -> fromNamespace(config.adminPort(), namespace))
                        .orElseGet(() -> fromAnywhere(config.adminPort())));
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

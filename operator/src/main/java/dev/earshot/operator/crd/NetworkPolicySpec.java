package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * Whether the operator isolates the gateway pods with a NetworkPolicy. Opt-in, because a policy
 * that selects a pod denies every ingress it does not admit: in a cluster whose CNI enforces
 * policies, turning it on changes who can reach the pods (the embedded recognizer's gRPC port,
 * for one, is then closed to other pods).
 */
public class NetworkPolicySpec {

    @Default("false")
    @JsonPropertyDescription("Create a NetworkPolicy owned by the SpeechService that admits the service port from"
            + " anywhere, the admin port from the operator's namespace, and nothing else; false (or removing"
            + " networkPolicy) deletes it.")
    private Boolean enabled = false;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }
}

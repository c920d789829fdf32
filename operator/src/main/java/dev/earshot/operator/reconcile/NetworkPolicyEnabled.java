package dev.earshot.operator.reconcile;

import dev.earshot.operator.crd.SpeechService;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Reconcile precondition of {@link NetworkPolicyDependent}: {@code spec.networkPolicy.enabled}.
 * A precondition rather than an activation condition, because JOSDK deletes a dependent whose
 * precondition fails, so switching the policy off (or removing {@code networkPolicy}) removes the
 * NetworkPolicy, while an inactive dependent would just be left behind.
 */
public class NetworkPolicyEnabled implements Condition<NetworkPolicy, SpeechService> {

    @Override
    public boolean isMet(
            DependentResource<NetworkPolicy, SpeechService> dependentResource,
            SpeechService primary,
            Context<SpeechService> context) {
        return DesiredState.of(primary, context).config().networkPolicy();
    }
}

package dev.earshot.operator.reconcile;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.model.ReplicaCount;
import dev.earshot.operator.model.SpeechServiceConfig;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * What the reconciler decided before running the dependents: the validated config and the replica
 * count. Dependent resources are created by JOSDK, not by us, so they receive this through the
 * workflow context rather than a constructor.
 *
 * @param config validated spec
 * @param replicas replica count for the Deployment
 */
record DesiredState(SpeechServiceConfig config, int replicas) {

    static final String KEY = DesiredState.class.getName();

    /**
     * The state the reconciler stored, or (should JOSDK compute a desired object outside a
     * reconcile) one derived from the resource and the running Deployment.
     */
    static DesiredState of(SpeechService primary, Context<SpeechService> context) {
        return context.managedWorkflowAndDependentResourceContext()
                .get(KEY, DesiredState.class)
                .orElseGet(() -> {
                    if (!(SpeechServiceConfig.from(primary.getSpec())
                            instanceof SpeechServiceConfig.Valid(SpeechServiceConfig config))) {
                        throw new IllegalStateException(
                                "invalid spec of " + primary.getMetadata().getName());
                    }
                    Optional<Integer> running = context.getSecondaryResource(Deployment.class)
                            .map(d -> d.getSpec().getReplicas());
                    return new DesiredState(
                            config, ReplicaCount.resolve(Optional.empty(), running, Optional.empty(), config));
                });
    }
}

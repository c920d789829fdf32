package dev.earshot.operator.reconcile;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.model.DeploymentModel;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * Applies the Deployment built by {@link DeploymentModel}. Its informer (Deployments we manage
 * only) is the reconciler's, shared with the autoscaler.
 */
public class DeploymentDependent extends CRUDKubernetesDependentResource<Deployment, SpeechService> {

    public DeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(SpeechService primary, Context<SpeechService> context) {
        DesiredState state = DesiredState.of(primary, context);
        return DeploymentModel.build(primary, state.config(), state.replicas());
    }
}

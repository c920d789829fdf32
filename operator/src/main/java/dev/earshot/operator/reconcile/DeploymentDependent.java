package dev.earshot.operator.reconcile;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.model.DeploymentModel;
import dev.earshot.operator.model.Labels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Applies the Deployment built by {@link DeploymentModel}; watches only Deployments we manage. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY + "=" + Labels.MANAGER))
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

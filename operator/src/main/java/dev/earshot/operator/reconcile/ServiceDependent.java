package dev.earshot.operator.reconcile;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.model.Labels;
import dev.earshot.operator.model.ServiceModel;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Applies the Service built by {@link ServiceModel}. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY + "=" + Labels.MANAGER))
public class ServiceDependent extends CRUDKubernetesDependentResource<Service, SpeechService> {

    public ServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(SpeechService primary, Context<SpeechService> context) {
        return ServiceModel.build(primary, DesiredState.of(primary, context).config());
    }
}

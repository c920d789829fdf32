package dev.earshot.operator.reconcile;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.model.Labels;
import dev.earshot.operator.model.PodDisruptionBudgetModel;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Applies the PodDisruptionBudget built by {@link PodDisruptionBudgetModel}. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY + "=" + Labels.MANAGER))
public class PodDisruptionBudgetDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, SpeechService> {

    public PodDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(SpeechService primary, Context<SpeechService> context) {
        return PodDisruptionBudgetModel.build(primary);
    }
}

package dev.earshot.operator.reconcile;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.model.Labels;
import dev.earshot.operator.model.NetworkPolicyModel;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Applies the NetworkPolicy built by {@link NetworkPolicyModel} while the spec asks for one
 * ({@link NetworkPolicyEnabled}); when it stops asking, the workflow deletes it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_BY + "=" + Labels.MANAGER))
public class NetworkPolicyDependent extends CRUDKubernetesDependentResource<NetworkPolicy, SpeechService> {

    public NetworkPolicyDependent() {
        super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(SpeechService primary, Context<SpeechService> context) {
        return NetworkPolicyModel.build(
                primary, DesiredState.of(primary, context).config(), OperatorNamespace.of(context));
    }
}

package dev.earshot.operator.reconcile;

import dev.earshot.operator.crd.SpeechService;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * The namespace the operator runs in ({@code POD_NAMESPACE}, from the downward API), which the
 * NetworkPolicy admits to the gateways' admin port. JOSDK creates the dependents, so the
 * reconciler hands it to them through the workflow context, as it does {@link DesiredState}.
 *
 * @param name the namespace, or empty when the operator runs without {@code POD_NAMESPACE}
 */
record OperatorNamespace(Optional<String> name) {

    static final String KEY = OperatorNamespace.class.getName();

    /** The namespace the reconciler stored; empty outside a reconcile. */
    static Optional<String> of(Context<SpeechService> context) {
        return context.managedWorkflowAndDependentResourceContext()
                .get(KEY, OperatorNamespace.class)
                .flatMap(OperatorNamespace::name);
    }
}

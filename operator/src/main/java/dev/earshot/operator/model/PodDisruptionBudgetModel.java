package dev.earshot.operator.model;

import dev.earshot.operator.crd.SpeechService;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * Builds the PodDisruptionBudget: voluntary disruptions (node drains, upgrades) evict at most one
 * gateway pod at a time, so only one pod's sessions are draining at once. {@code maxUnavailable}
 * rather than {@code minAvailable} keeps drains possible at any replica count, including one.
 */
public final class PodDisruptionBudgetModel {

    /** Pods that voluntary disruptions may take down at the same time. */
    public static final int MAX_UNAVAILABLE = 1;

    private PodDisruptionBudgetModel() {}

    /**
     * The desired PodDisruptionBudget.
     *
     * @param owner the SpeechService
     * @return a new PodDisruptionBudget object
     */
    public static PodDisruptionBudget build(SpeechService owner) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Owners.metadata(owner))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(MAX_UNAVAILABLE))
                .withNewSelector()
                .withMatchLabels(Labels.selector(owner))
                .endSelector()
                .endSpec()
                .build();
    }
}

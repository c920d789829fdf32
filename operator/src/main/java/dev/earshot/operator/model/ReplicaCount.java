package dev.earshot.operator.model;

import java.util.Optional;

/**
 * Decides the replica count a reconcile writes into the Deployment. The count belongs to the
 * autoscaler, so a reconcile never resets it: it takes the autoscaler's latest decision, else what
 * the Deployment runs now (e.g. after an operator restart), else the last recorded desired count,
 * else the minimum, and only then moves it into [min, max] when the bounds themselves changed.
 */
public final class ReplicaCount {

    private ReplicaCount() {}

    /**
     * The count to write.
     *
     * @param autoscalerDecision the autoscaler's latest decision in this process, if any
     * @param running spec.replicas of the existing Deployment, if any
     * @param recorded status.desiredReplicas of the SpeechService, if any
     * @param config bounds
     * @return a count within [min, max]
     */
    public static int resolve(
            Optional<Integer> autoscalerDecision,
            Optional<Integer> running,
            Optional<Integer> recorded,
            SpeechServiceConfig config) {
        int count = autoscalerDecision.or(() -> running).or(() -> recorded).orElse(config.minReplicas());
        return clamp(count, config.minReplicas(), config.maxReplicas());
    }

    /** {@code value} moved into [min, max]. */
    public static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}

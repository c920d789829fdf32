package dev.earshot.operator.autoscale;

import dev.earshot.operator.model.SpeechServiceConfig;
import java.time.Duration;

/**
 * The numbers the scaling policy needs, and nothing else, so the policy can be tested on traces
 * without building custom resources.
 *
 * @param minReplicas fewest replicas
 * @param maxReplicas most replicas
 * @param sessionsPerReplica target sessions per replica
 * @param tolerance relative deviation from the target that causes no change
 * @param scaleUpWindow a scale-up goes only to the lowest recommendation of this window
 * @param scaleDownWindow a scale-down goes only to the highest recommendation of this window
 */
public record ScalingTarget(
        int minReplicas,
        int maxReplicas,
        int sessionsPerReplica,
        double tolerance,
        Duration scaleUpWindow,
        Duration scaleDownWindow) {

    public ScalingTarget {
        if (minReplicas < 1 || maxReplicas < minReplicas || sessionsPerReplica < 1) {
            throw new IllegalArgumentException(
                    "bad bounds: min=" + minReplicas + " max=" + maxReplicas + " target=" + sessionsPerReplica);
        }
    }

    /** The target of a validated SpeechService. */
    public static ScalingTarget of(SpeechServiceConfig config) {
        return new ScalingTarget(
                config.minReplicas(),
                config.maxReplicas(),
                config.targetSessionsPerReplica(),
                config.scaling().tolerance(),
                config.scaling().scaleUpStabilization(),
                config.scaling().scaleDownStabilization());
    }
}

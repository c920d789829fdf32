package dev.earshot.operator.autoscale;

import java.util.List;

/**
 * What the policy concluded from one sample: the replica count to run, why, whether the bounds cut
 * the raw recommendation, and the recommendations to remember for the next poll.
 *
 * @param replicas replicas to run from now on
 * @param reason why (see {@link Reason})
 * @param message human-readable explanation, fit for an Event
 * @param limit whether min or max bounded the raw recommendation
 * @param history recommendations to pass to the next evaluation
 */
public record Decision(int replicas, Reason reason, String message, Limit limit, List<Recommendation> history) {

    public Decision {
        history = List.copyOf(history);
    }

    /** Why the replica count is what it is. */
    public enum Reason {
        /** More sessions than the replicas can serve at the target. */
        SCALE_UP,
        /** Fewer sessions, and the whole scale-down window agrees. */
        SCALE_DOWN,
        /** Load is within tolerance of the target. */
        WITHIN_TOLERANCE,
        /** The raw recommendation equals the current count. */
        AT_RECOMMENDATION,
        /** A scale-down is wanted but a higher recommendation is still inside the window. */
        SCALE_DOWN_STABILIZED,
        /** A scale-up is wanted but a lower recommendation is still inside the up window. */
        SCALE_UP_STABILIZED,
        /** Some ready pod's metrics failed, so the recommendation may not go down this poll. */
        METRICS_INCOMPLETE,
        /** No ready pod answered: no decision at all. */
        NO_METRICS
    }

    /** Which bound, if any, cut the raw recommendation (HPA's ScalingLimited reasons). */
    public enum Limit {
        NONE("DesiredWithinRange"),
        MIN("TooFewReplicas"),
        MAX("TooManyReplicas");

        private final String conditionReason;

        Limit(String conditionReason) {
            this.conditionReason = conditionReason;
        }

        /** Reason string for the ScalingLimited condition. */
        public String conditionReason() {
            return conditionReason;
        }
    }
}

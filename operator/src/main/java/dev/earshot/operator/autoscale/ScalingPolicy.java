package dev.earshot.operator.autoscale;

import dev.earshot.operator.autoscale.Decision.Limit;
import dev.earshot.operator.autoscale.Decision.Reason;
import dev.earshot.operator.model.ReplicaCount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The session-count scaling policy, as a pure function of (target, history, sample). It follows
 * the HorizontalPodAutoscaler's semantics so its behaviour is familiar:
 *
 * <ol>
 *   <li>raw = ceil(total sessions / target per replica); when the load is within {@code tolerance}
 *       of what the current replicas serve at the target, raw = current;</li>
 *   <li>if a ready pod's metrics failed, raw may not be below current (its sessions are unknown,
 *       so removing a pod could cut users off);</li>
 *   <li>raw is clamped to [min, max] and remembered;</li>
 *   <li>a scale-up goes to the lowest recommendation in the up window, a scale-down to the
 *       highest in the down window, so one quiet poll after a spike removes nothing.</li>
 * </ol>
 *
 * <p>With no pod reporting at all nothing is decided: an empty reading is not evidence of zero
 * sessions.
 */
public final class ScalingPolicy {

    private static final double EPSILON = 1e-9;

    private ScalingPolicy() {}

    /**
     * Evaluates one sample.
     *
     * @param target bounds, target and windows
     * @param history recommendations from earlier polls (oldest first)
     * @param sample this poll
     * @return the decision, including the history to keep
     */
    public static Decision evaluate(ScalingTarget target, List<Recommendation> history, Sample sample) {
        int current = sample.currentReplicas();
        int min = target.minReplicas();
        int max = target.maxReplicas();
        if (sample.podsReporting() == 0) {
            int keep = ReplicaCount.clamp(current, min, max);
            String why = sample.podsFailed() > 0
                    ? "metrics of all " + sample.podsFailed() + " ready pods failed; keeping " + keep
                    : "no ready pods to read sessions from; keeping " + keep;
            return new Decision(keep, Reason.NO_METRICS, why, Limit.NONE, prune(history, target, sample.at()));
        }

        long sessions = sample.activeSessions();
        long perReplica = target.sessionsPerReplica();
        boolean withinTolerance = current > 0
                && Math.abs(sessions - (double) current * perReplica)
                        <= target.tolerance() * current * perReplica + EPSILON;
        int raw = withinTolerance ? current : saturatedCeil(sessions, perReplica);
        boolean incomplete = sample.podsFailed() > 0 && raw < current;
        if (incomplete) {
            raw = current;
        }
        Limit limit = raw < min ? Limit.MIN : raw > max ? Limit.MAX : Limit.NONE;
        int recommended = ReplicaCount.clamp(raw, min, max);

        List<Recommendation> kept = new ArrayList<>(prune(history, target, sample.at()));
        kept.add(new Recommendation(sample.at(), recommended));

        int upBound = extreme(kept, sample.at(), target.scaleUpWindow(), recommended, true);
        int downBound = extreme(kept, sample.at(), target.scaleDownWindow(), recommended, false);
        int next = current;
        if (next < upBound) {
            next = upBound;
        }
        if (next > downBound) {
            next = downBound;
        }
        next = ReplicaCount.clamp(next, min, max);

        Reason reason;
        if (next > current) {
            reason = Reason.SCALE_UP;
        } else if (next < current) {
            reason = Reason.SCALE_DOWN;
        } else if (incomplete) {
            reason = Reason.METRICS_INCOMPLETE;
        } else if (recommended < current) {
            reason = Reason.SCALE_DOWN_STABILIZED;
        } else if (recommended > current) {
            reason = Reason.SCALE_UP_STABILIZED;
        } else if (withinTolerance) {
            reason = Reason.WITHIN_TOLERANCE;
        } else {
            reason = Reason.AT_RECOMMENDATION;
        }
        return new Decision(
                next,
                reason,
                message(reason, sessions, sample, target, current, next, recommended, limit),
                limit,
                kept);
    }

    private static String message(
            Reason reason,
            long sessions,
            Sample sample,
            ScalingTarget target,
            int current,
            int next,
            int recommended,
            Limit limit) {
        String load = sessions + " sessions on " + sample.podsReporting() + " reporting pods, target "
                + target.sessionsPerReplica() + " per replica";
        String bound = switch (limit) {
            case MIN -> " (raised to replicas.min " + target.minReplicas() + ")";
            case MAX -> " (capped at replicas.max " + target.maxReplicas() + ")";
            case NONE -> "";
        };
        return switch (reason) {
            case SCALE_UP -> load + bound;
            case SCALE_DOWN ->
                load + bound + ", lower for the whole "
                        + target.scaleDownWindow().toSeconds() + "s scale-down window";
            case WITHIN_TOLERANCE -> load + ": within tolerance, keeping " + current;
            case AT_RECOMMENDATION -> load + ": keeping " + current + bound;
            case SCALE_DOWN_STABILIZED ->
                load + ": " + recommended + " would do, keeping " + current + " until the "
                        + target.scaleDownWindow().toSeconds() + "s scale-down window agrees";
            case SCALE_UP_STABILIZED ->
                load + ": " + recommended + " wanted, keeping " + current + " until the "
                        + target.scaleUpWindow().toSeconds() + "s scale-up window agrees";
            case METRICS_INCOMPLETE ->
                load + ": metrics of " + sample.podsFailed() + " ready pods failed, not scaling down from " + current;
            case NO_METRICS -> "no metrics";
        };
    }

    /** ceil(a / b) for non-negative a and positive b, saturated at Integer.MAX_VALUE. */
    private static int saturatedCeil(long a, long b) {
        long q = (a + b - 1) / b;
        return q > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) q;
    }

    /** Lowest (for up) or highest (for down) recommendation no older than the window. */
    private static int extreme(List<Recommendation> recs, Instant now, Duration window, int start, boolean lowest) {
        Instant cutoff = now.minus(window);
        int result = start;
        for (Recommendation rec : recs) {
            if (!rec.at().isBefore(cutoff)) {
                result = lowest ? Math.min(result, rec.replicas()) : Math.max(result, rec.replicas());
            }
        }
        return result;
    }

    /** Drops recommendations older than both windows; they can never matter again. */
    private static List<Recommendation> prune(List<Recommendation> history, ScalingTarget target, Instant now) {
        Duration longest = target.scaleUpWindow().compareTo(target.scaleDownWindow()) > 0
                ? target.scaleUpWindow()
                : target.scaleDownWindow();
        Instant cutoff = now.minus(longest);
        return history.stream().filter(r -> !r.at().isBefore(cutoff)).toList();
    }
}

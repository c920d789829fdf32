package dev.earshot.operator.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.autoscale.Decision.Limit;
import dev.earshot.operator.autoscale.Decision.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The policy on traces: a list of polls (time, sessions, failed pods) replayed from a starting
 * replica count, each decision feeding the next poll, as the autoscaler loop does.
 */
class ScalingPolicyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ScalingTarget HPA_DEFAULTS =
            new ScalingTarget(1, 10, 100, 0.1, Duration.ZERO, Duration.ofSeconds(300));

    private record Poll(long second, long sessions, int failedPods) {}

    private static Poll poll(long second, long sessions) {
        return new Poll(second, sessions, 0);
    }

    /** Replays a trace and returns the decision of every poll. */
    private static List<Decision> replay(ScalingTarget target, int startReplicas, List<Poll> polls) {
        List<Decision> decisions = new ArrayList<>();
        List<Recommendation> history = List.of();
        int replicas = startReplicas;
        for (Poll p : polls) {
            Sample sample = new Sample(
                    T0.plusSeconds(p.second()),
                    replicas,
                    p.sessions(),
                    Math.max(1, replicas - p.failedPods()),
                    p.failedPods());
            Decision decision = ScalingPolicy.evaluate(target, history, sample);
            decisions.add(decision);
            history = decision.history();
            replicas = decision.replicas();
        }
        return decisions;
    }

    private static List<Integer> replicas(List<Decision> decisions) {
        return decisions.stream().map(Decision::replicas).toList();
    }

    private static List<Poll> every15s(long... sessions) {
        List<Poll> polls = new ArrayList<>();
        for (int i = 0; i < sessions.length; i++) {
            polls.add(poll(i * 15L, sessions[i]));
        }
        return polls;
    }

    @Test
    void rampScalesUpAtEveryStepWithoutDelay() {
        List<Decision> decisions = replay(HPA_DEFAULTS, 1, every15s(0, 50, 120, 250, 400, 650, 1000));
        assertEquals(List.of(1, 1, 2, 3, 4, 7, 10), replicas(decisions));
        assertEquals(Reason.SCALE_UP, decisions.get(2).reason());
    }

    @Test
    void demandBeyondTheMaximumIsCappedAndReportedAsLimited() {
        Decision last = replay(HPA_DEFAULTS, 8, every15s(2500)).getLast();
        assertEquals(10, last.replicas());
        assertEquals(Limit.MAX, last.limit());
        assertEquals("TooManyReplicas", last.limit().conditionReason());
    }

    @Test
    void noSessionsKeepTheMinimumAndReportTheLowerBound() {
        ScalingTarget target = new ScalingTarget(2, 10, 100, 0.1, Duration.ZERO, Duration.ZERO);
        Decision last = replay(target, 2, every15s(0)).getLast();
        assertEquals(2, last.replicas());
        assertEquals(Limit.MIN, last.limit());
    }

    @Test
    void aSpikeScalesUpAtOnceAndComesDownOnlyAfterTheWholeWindow() {
        List<Poll> trace = new ArrayList<>();
        trace.add(poll(0, 150));
        trace.add(poll(15, 900)); // one-poll spike
        for (long s = 30; s <= 315; s += 15) {
            trace.add(poll(s, 150)); // the spike's recommendation is at most 300 s old
        }
        trace.add(poll(330, 150)); // now it is older than the window
        trace.add(poll(345, 150));
        List<Decision> decisions = replay(HPA_DEFAULTS, 2, trace);
        List<Integer> replicas = replicas(decisions);
        assertEquals(2, replicas.getFirst());
        assertEquals(9, replicas.get(1), "scale-up is immediate");
        for (int i = 2; i < replicas.size() - 2; i++) {
            assertEquals(9, replicas.get(i), "held during the window, poll " + i);
            assertEquals(Reason.SCALE_DOWN_STABILIZED, decisions.get(i).reason());
        }
        assertEquals(2, replicas.get(replicas.size() - 2), "scale-down once the spike left the window");
        assertEquals(Reason.SCALE_DOWN, decisions.get(replicas.size() - 2).reason());
        assertEquals(2, replicas.getLast());
    }

    @Test
    void flappingLoadNeverFlapsTheReplicas() {
        long[] sessions = new long[40];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = i % 2 == 0 ? 150 : 450;
        }
        List<Integer> replicas = replicas(replay(HPA_DEFAULTS, 2, every15s(sessions)));
        int changes = 0;
        for (int i = 1; i < replicas.size(); i++) {
            if (!replicas.get(i).equals(replicas.get(i - 1))) {
                changes++;
            }
        }
        assertEquals(1, changes, "one scale-up to the peak, then steady: " + replicas);
        assertEquals(5, replicas.getLast());
    }

    @Test
    void loadWithinToleranceChangesNothing() {
        List<Decision> decisions = replay(HPA_DEFAULTS, 4, every15s(361, 439, 400));
        assertEquals(List.of(4, 4, 4), replicas(decisions));
        assertEquals(Reason.WITHIN_TOLERANCE, decisions.getFirst().reason());
        assertEquals(5, replicas(replay(HPA_DEFAULTS, 4, every15s(441))).getFirst(), "just beyond tolerance scales");
    }

    @Test
    void aFailedPodBlocksScaleDownEvenAfterTheWindow() {
        ScalingTarget target = new ScalingTarget(1, 10, 100, 0.1, Duration.ZERO, Duration.ofSeconds(60));
        List<Poll> trace = List.of(new Poll(0, 100, 1), new Poll(120, 100, 1), new Poll(240, 100, 1));
        List<Decision> decisions = replay(target, 5, trace);
        assertEquals(List.of(5, 5, 5), replicas(decisions));
        assertEquals(Reason.METRICS_INCOMPLETE, decisions.getLast().reason());
    }

    @Test
    void aFailedPodStillAllowsScaleUp() {
        List<Decision> decisions = replay(HPA_DEFAULTS, 2, List.of(new Poll(0, 500, 1)));
        assertEquals(5, decisions.getFirst().replicas());
    }

    @Test
    void withNoPodReportingNothingIsDecidedOrRemembered() {
        Decision decision = ScalingPolicy.evaluate(HPA_DEFAULTS, List.of(), new Sample(T0, 3, 0, 0, 3));
        assertEquals(3, decision.replicas());
        assertEquals(Reason.NO_METRICS, decision.reason());
        assertTrue(decision.history().isEmpty());
    }

    @Test
    void scaleUpWindowGoesOnlyToTheLowestRecentRecommendation() {
        ScalingTarget target = new ScalingTarget(1, 10, 100, 0.1, Duration.ofSeconds(60), Duration.ofSeconds(300));
        List<Decision> decisions = replay(target, 2, every15s(200, 600, 600, 600, 600, 600));
        assertEquals(List.of(2, 2, 2, 2, 2, 6), replicas(decisions));
        assertEquals(Reason.SCALE_UP_STABILIZED, decisions.get(1).reason());
    }

    @Test
    void historyOlderThanBothWindowsIsDropped() {
        List<Decision> decisions = replay(HPA_DEFAULTS, 1, every15s(new long[30]));
        assertTrue(
                decisions.getLast().history().size() <= 21,
                "kept " + decisions.getLast().history().size());
    }
}

package dev.earshot.operator.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.autoscale.DrainStateMachine.Drain;
import dev.earshot.operator.autoscale.DrainStateMachine.Observed;
import dev.earshot.operator.autoscale.DrainStateMachine.Plan;
import dev.earshot.operator.autoscale.DrainStateMachine.Removal;
import dev.earshot.operator.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The drain state machine on hand-made polls, with a clock the test moves: who drains, when a
 * drain is taken back instead of adding a pod, when a drained pod is removed and what that cuts.
 * Each step reports back to the machine what the autoscaler would have managed, as it does.
 */
class DrainStateMachineTest {

    private static final Duration TIMEOUT = Duration.ofHours(1);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final DrainStateMachine machine = new DrainStateMachine();

    private static PodState serving(String name, long sessions) {
        return new PodState(name, true, true, new ScrapeResult.Sessions(sessions, false));
    }

    private static PodState draining(String name, long sessions) {
        return new PodState(name, true, false, new ScrapeResult.Sessions(sessions, true));
    }

    /** A pod that is Ready in the cache although its gateway already drains (the kubelet lags). */
    private static PodState drainingStillReady(String name, long sessions) {
        return new PodState(name, true, true, new ScrapeResult.Sessions(sessions, true));
    }

    private static PodState notReady(String name, long sessions) {
        return new PodState(name, true, false, new ScrapeResult.Sessions(sessions, false));
    }

    private static PodState unreadable(String name, boolean ready) {
        return new PodState(name, true, ready, new ScrapeResult.Failed("connect timed out"));
    }

    private static PodState notStarted(String name) {
        return new PodState(name, false, false, new ScrapeResult.Failed("not running"));
    }

    /** Observes, then plans for {@code wanted} serving pods with at most {@code maxDraining} drains. */
    private Plan poll(int replicas, int wanted, int maxDraining, List<PodState> pods) {
        machine.observe(clock.instant(), pods, Map.of());
        return machine.plan(clock.instant(), replicas, wanted, pods, maxDraining, TIMEOUT, false);
    }

    /** Reports every step of {@code plan} as done. */
    private void done(Plan plan) {
        plan.drain().forEach(p -> machine.started(p.name(), clock.instant(), p.sessions()));
        plan.undrain().forEach(d -> machine.undrained(d.pod()));
        plan.remove().forEach(r -> machine.removed(r.pod(), clock.instant()));
    }

    private static List<String> names(List<PodState> pods) {
        return pods.stream().map(PodState::name).toList();
    }

    @Test
    void whenEveryPodHoldsSessionsTheOneWithFewestDrainsAndGoesOnlyOnceItsLastSessionHasEnded() {
        Plan plan = poll(3, 2, 1, List.of(serving("a", 3), serving("b", 1), serving("c", 2)));
        assertEquals(List.of("b"), names(plan.drain()));
        assertEquals(3, plan.replicas(), "nothing is removed while b holds a session");
        done(plan);
        assertEquals(2, machine.serving(3));

        clock.advance(Duration.ofMinutes(20));
        plan = poll(3, 2, 1, List.of(serving("a", 3), draining("b", 1), serving("c", 2)));
        assertEquals(List.of(), plan.drain(), "b is the one draining; no second drain for one pod too many");
        assertEquals(List.of(), plan.remove());
        assertEquals(3, plan.replicas());
        assertEquals(List.of(new Drain("b", Instant.parse("2026-01-01T00:00:00Z"), 1)), machine.draining());

        clock.advance(Duration.ofMinutes(5));
        plan = poll(3, 2, 1, List.of(serving("a", 3), draining("b", 0), serving("c", 2)));
        assertEquals(List.of(new Removal("b", 0, false, Duration.ofMinutes(25))), plan.remove());
        assertEquals(2, plan.replicas());
        done(plan);
        assertEquals(List.of(), machine.draining());
        assertEquals(2, machine.serving(2));

        // b is still there until the ReplicaSet has removed it: it is neither drained nor counted again
        plan = poll(2, 2, 1, List.of(serving("a", 3), draining("b", 0), serving("c", 2)));
        assertEquals(new Plan(2, List.of(), List.of(), List.of(), 0, 0, java.util.Optional.empty()), plan);
    }

    @Test
    void atMostMaxDrainingPodsDrainAtOnceAndOnlyPodsThatAnsweredWhetherReadyOrNot() {
        List<PodState> pods = List.of(
                unreadable("a", true), notReady("b", 4), serving("c", 2), serving("d", 9), unreadable("e", false));
        Plan plan = poll(5, 1, 2, pods);
        assertEquals(List.of("c", "b"), names(plan.drain()), "fewest sessions first; a and e were not read");
        done(plan);
        plan = poll(
                5,
                1,
                2,
                List.of(
                        unreadable("a", true),
                        draining("b", 4),
                        draining("c", 2),
                        serving("d", 9),
                        unreadable("e", false)));
        assertEquals(List.of(), plan.drain(), "two drain already");
    }

    @Test
    void whenTheLoadReturnsTheDrainIsTakenBackInsteadOfAddingAPod() {
        done(poll(3, 2, 1, List.of(serving("a", 3), serving("b", 1), serving("c", 2))));
        Plan plan = poll(3, 3, 1, List.of(serving("a", 5), draining("b", 1), serving("c", 4)));
        assertEquals(List.of("b"), plan.undrain().stream().map(Drain::pod).toList());
        assertEquals(0, plan.added());
        assertEquals(3, plan.replicas(), "no new pod");
        done(plan);
        assertEquals(3, machine.serving(3));
    }

    @Test
    void moreLoadThanTheDrainsCanTakeBackAddsOnlyWhatIsStillMissing() {
        done(poll(4, 2, 2, List.of(serving("a", 1), serving("b", 2), serving("c", 5), serving("d", 6))));
        assertEquals(2, machine.draining().size());
        Plan plan = poll(4, 5, 2, List.of(draining("a", 1), draining("b", 2), serving("c", 9), serving("d", 9)));
        assertEquals(List.of("b", "a"), plan.undrain().stream().map(Drain::pod).toList(), "most sessions left first");
        assertEquals(1, plan.added());
        assertEquals(5, plan.replicas());
    }

    @Test
    void aDrainThatTimesOutRemovesThePodWithTheSessionsItStillHolds() {
        done(poll(2, 1, 1, List.of(serving("a", 3), serving("b", 2))));
        clock.advance(TIMEOUT.minusSeconds(1));
        Plan plan = poll(2, 1, 1, List.of(serving("a", 3), draining("b", 2)));
        assertEquals(List.of(), plan.remove());
        clock.advance(Duration.ofSeconds(1));
        plan = poll(2, 1, 1, List.of(serving("a", 3), draining("b", 2)));
        assertEquals(List.of(new Removal("b", 2, true, TIMEOUT)), plan.remove());
        assertEquals(1, plan.replicas());
    }

    @Test
    void aDrainedPodStillReadyWaitsWhileAnotherPodIsNotReadySinceTheReplicaSetWouldRemoveThatOneFirst() {
        done(poll(2, 1, 1, List.of(serving("idle", 0), notReady("flapping", 4))));
        assertEquals(
                List.of("idle"), machine.draining().stream().map(Drain::pod).toList());

        Plan plan = poll(2, 1, 1, List.of(drainingStillReady("idle", 0), notReady("flapping", 4)));
        assertEquals(List.of(), plan.remove());
        assertEquals(2, plan.replicas());
        assertTrue(
                plan.waiting().orElseThrow().contains("flapping"),
                plan.waiting().orElseThrow());

        plan = poll(2, 1, 1, List.of(draining("idle", 0), notReady("flapping", 4)));
        assertEquals(List.of("idle"), plan.remove().stream().map(Removal::pod).toList());
        assertEquals(1, plan.replicas());
    }

    @Test
    void replicasWithoutARunningPodGoWithoutADrain() {
        Plan plan = poll(4, 2, 1, List.of(serving("a", 3), notStarted("b")));
        assertEquals(2, plan.dropped(), "one replica has no pod yet, one pod has not started");
        assertEquals(List.of(), plan.drain());
        assertEquals(2, plan.replicas());

        plan = poll(3, 1, 1, List.of(serving("a", 3), serving("b", 1), notStarted("c")));
        assertEquals(1, plan.dropped());
        assertEquals(List.of("b"), names(plan.drain()), "the second replica fewer needs a drain");
        assertEquals(2, plan.replicas());
    }

    @Test
    void nothingIsRemovedOrDroppedWhileTheDeploymentRollsOut() {
        done(poll(3, 2, 1, List.of(serving("a", 0), serving("b", 2), serving("c", 2))));
        List<PodState> pods = List.of(draining("a", 0), serving("b", 2), serving("c", 2), notStarted("d"));
        machine.observe(clock.instant(), pods, Map.of());
        Plan plan = machine.plan(clock.instant(), 3, 1, pods, 2, TIMEOUT, true);
        assertEquals(List.of(), plan.remove());
        assertEquals(0, plan.dropped());
        assertEquals(List.of("b"), names(plan.drain()), "draining goes on: it removes nothing");
        assertTrue(plan.waiting().orElseThrow().contains("rollout"));
    }

    @Test
    void aNewLeaderAdoptsTheDrainsItFindsWithTheStartsTheStatusRecorded() {
        Instant recorded = clock.instant().minus(Duration.ofMinutes(50));
        List<PodState> pods = List.of(serving("a", 3), draining("b", 2), draining("c", 1));
        Observed observed = machine.observe(clock.instant(), pods, Map.of("b", recorded));
        assertEquals(List.of(new Drain("b", recorded, 2), new Drain("c", clock.instant(), 1)), observed.adopted());
        assertEquals(1, machine.serving(3));

        clock.advance(Duration.ofMinutes(10));
        machine.observe(clock.instant(), pods, Map.of("b", recorded));
        Plan plan = machine.plan(clock.instant(), 3, 1, pods, 2, TIMEOUT, false);
        assertEquals(
                List.of(new Removal("b", 2, true, TIMEOUT)), plan.remove(), "b's hour began before the new leader");
    }

    @Test
    void aGatewayThatForgotItsDrainIsToldAgainAndAPodThatWentAwayIsForgotten() {
        done(poll(3, 1, 2, List.of(serving("a", 3), serving("b", 1), serving("c", 2))));
        Observed observed = machine.observe(clock.instant(), List.of(serving("a", 3), serving("b", 1)), Map.of());
        assertEquals(List.of("b"), observed.redrain(), "b restarted and serves again");
        assertEquals(List.of("c"), observed.forgotten().stream().map(Drain::pod).toList());
        assertEquals(List.of("b"), machine.draining().stream().map(Drain::pod).toList());
    }

    @Test
    void aRemovedPodTheReplicaSetLeftBehindCountsAgainAfterTheGrace() {
        Plan plan = poll(3, 2, 1, List.of(serving("a", 3), serving("b", 0), serving("c", 5)));
        assertEquals(List.of("b"), names(plan.drain()));
        done(plan);
        // c's node fails and its replacement d has not started when b is removed: the ReplicaSet
        // takes d, which ranks first, rather than the drained b
        plan = poll(3, 2, 1, List.of(serving("a", 3), draining("b", 0), notStarted("d")));
        assertEquals(List.of("b"), plan.remove().stream().map(Removal::pod).toList());
        assertEquals(0, plan.dropped());
        done(plan);
        List<PodState> pods = List.of(serving("a", 3), draining("b", 0));
        Observed observed = machine.observe(clock.instant(), pods, Map.of());
        assertEquals(List.of(), observed.adopted(), "handed to the ReplicaSet");

        clock.advance(DrainStateMachine.REMOVAL_GRACE);
        observed = machine.observe(clock.instant(), pods, Map.of());
        assertEquals(List.of("b"), observed.adopted().stream().map(Drain::pod).toList());
        plan = machine.plan(clock.instant(), 2, 2, pods, 1, TIMEOUT, false);
        assertEquals(List.of("b"), plan.undrain().stream().map(Drain::pod).toList(), "it serves rather than idles");
        assertEquals(2, plan.replicas());
    }
}

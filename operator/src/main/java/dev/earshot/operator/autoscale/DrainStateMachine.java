package dev.earshot.operator.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Drain before remove, for one SpeechService: which pods drain and since when, and which were
 * handed to the ReplicaSet for removal. Each poll first {@link #observe}s the pods, then
 * {@link #plan}s against the number of serving pods the policy wants; the autoscaler carries the
 * plan out and reports back what it managed ({@link #started}, {@link #undrained},
 * {@link #removed}), because a drain the gateway never heard of must not count as one.
 *
 * <p>The rules:
 * <ol>
 *   <li>Serving pods are the Deployment's replicas minus the draining ones; the policy's count is
 *       the number of serving pods wanted.</li>
 *   <li>More wanted: undrain first, the pods with the most sessions left (they would take longest
 *       to empty), and add replicas only for what is still missing. A drain costs nothing to take
 *       back, a new pod costs a start-up.</li>
 *   <li>Fewer wanted: replicas without a running pod go at once (nothing runs there to drain);
 *       for the rest, drain the pods with the fewest sessions, at most {@code maxDraining} at a
 *       time. Only pods that answered are drained: a pod that cannot be read has unknown sessions,
 *       and could not be told to drain anyway. A pod that is not Ready but answers is read like
 *       any other.</li>
 *   <li>A drain ends in removal when its pod holds no session or the drain timeout has passed,
 *       and only once the ReplicaSet will remove that very pod when the count drops by one. The
 *       ReplicaSet removes pods that are not Ready before Ready ones and only then compares the
 *       deletion cost: a drained pod that is still Ready (the kubelet has not yet seen its
 *       readiness go down) waits while another running pod is not Ready, since that pod, with its
 *       sessions, would go first.</li>
 *   <li>No removal while the Deployment rolls out: the Deployment controller then spreads a
 *       scale-down over the old and new ReplicaSets, and the pod it removes need not be the
 *       drained one.</li>
 *   <li>A pod that says it drains but is not on the books is adopted (a new leader carries on with
 *       the drains of the old one, with the start the status recorded); a pod on the books whose
 *       gateway no longer drains (it restarted) is told again.</li>
 * </ol>
 *
 * <p>Not thread-safe: the autoscaler never polls one SpeechService twice at once.
 */
public final class DrainStateMachine {

    /**
     * How long a pod handed to the ReplicaSet may still be there before it counts as present
     * again. The ReplicaSet removes a pod within a second or so; one that is still there after
     * this was not the pod it chose (it may have taken a pod that had not started yet instead).
     */
    static final Duration REMOVAL_GRACE = Duration.ofMinutes(2);

    /**
     * A pod that drains.
     *
     * @param pod pod name
     * @param since when the drain began
     * @param sessions sessions left at the last poll that read the pod
     */
    public record Drain(String pod, Instant since, long sessions) {}

    /**
     * A drained pod to remove.
     *
     * @param pod pod name
     * @param sessionsLeft sessions it still holds (cut when it goes), as last read
     * @param timedOut whether the drain timeout ended the drain rather than the last session
     * @param drainedFor how long it drained
     */
    public record Removal(String pod, long sessionsLeft, boolean timedOut, Duration drainedFor) {}

    /**
     * What {@link #observe} found.
     *
     * @param adopted pods that said they drain and are now on the books
     * @param forgotten drains whose pod went away without being removed by the autoscaler
     * @param redrain pods on the books whose gateway no longer drains: to be told again
     */
    public record Observed(List<Drain> adopted, List<Drain> forgotten, List<String> redrain) {}

    /**
     * What to do this poll.
     *
     * @param replicas the Deployment's replicas once every step has succeeded
     * @param drain pods to start draining, fewest sessions first
     * @param undrain drains to take back, most sessions left first
     * @param remove drained pods to remove
     * @param dropped replicas that go without a drain: no running pod behind them
     * @param added replicas to add beyond the undrained pods
     * @param waiting why a drained pod is not removed yet, if one waits
     */
    public record Plan(
            int replicas,
            List<PodState> drain,
            List<Drain> undrain,
            List<Removal> remove,
            int dropped,
            int added,
            Optional<String> waiting) {

        public Plan {
            drain = List.copyOf(drain);
            undrain = List.copyOf(undrain);
            remove = List.copyOf(remove);
        }
    }

    private static final Comparator<PodState> FEWEST_SESSIONS_FIRST = Comparator.comparingLong(PodState::sessions)
            .thenComparing(PodState::ready) // a pod that is not Ready serves worse
            .thenComparing(PodState::name);
    private static final Comparator<Drain> MOST_LEFT_FIRST = Comparator.comparingLong(Drain::sessions)
            .reversed()
            .thenComparing(Drain::since, Comparator.reverseOrder())
            .thenComparing(Drain::pod);

    private final Map<String, Drain> drains = new TreeMap<>();
    private final Map<String, Instant> removing = new TreeMap<>();

    /** The pods that drain now, by name. */
    public List<Drain> draining() {
        return List.copyOf(drains.values());
    }

    /** The pods that serve: the Deployment's replicas minus the draining ones. */
    public int serving(int replicas) {
        return replicas - drains.size();
    }

    /**
     * Brings the books up to date with the pods of this poll.
     *
     * @param now this poll's time
     * @param pods the SpeechService's pods that are not being deleted
     * @param recordedSince drain starts recorded in the status, by pod (for adopted drains)
     * @return what changed
     */
    public Observed observe(Instant now, List<PodState> pods, Map<String, Instant> recordedSince) {
        Map<String, PodState> byName = byName(pods);
        removing.entrySet()
                .removeIf(e -> !byName.containsKey(e.getKey())
                        || !now.isBefore(e.getValue().plus(REMOVAL_GRACE)));
        List<Drain> forgotten = new ArrayList<>();
        drains.values().removeIf(d -> {
            boolean gone = !byName.containsKey(d.pod());
            if (gone) {
                forgotten.add(d);
            }
            return gone;
        });
        List<Drain> adopted = new ArrayList<>();
        List<String> redrain = new ArrayList<>();
        for (PodState pod : pods) {
            if (removing.containsKey(pod.name())) {
                continue;
            }
            Drain known = drains.get(pod.name());
            if (known == null && pod.reportsDraining()) {
                Drain drain = new Drain(pod.name(), recordedSince.getOrDefault(pod.name(), now), pod.sessions());
                drains.put(pod.name(), drain);
                adopted.add(drain);
            } else if (known != null && pod.readable()) {
                drains.put(pod.name(), new Drain(pod.name(), known.since(), pod.sessions()));
                if (!pod.reportsDraining()) {
                    redrain.add(pod.name());
                }
            }
        }
        return new Observed(adopted, forgotten, redrain);
    }

    /**
     * Decides this poll's steps; changes nothing until the autoscaler reports what it did.
     *
     * @param now this poll's time
     * @param replicas the Deployment's replicas now
     * @param wanted serving pods the policy wants
     * @param pods the same pods as {@link #observe} saw
     * @param maxDraining most pods draining at once
     * @param timeout longest drain; a pod still holding sessions then is removed with them
     * @param rollingOut whether the Deployment is rolling out a new pod template
     */
    public Plan plan(
            Instant now,
            int replicas,
            int wanted,
            List<PodState> pods,
            int maxDraining,
            Duration timeout,
            boolean rollingOut) {
        int serving = serving(replicas);
        if (wanted > serving) {
            List<Drain> undrain = drains.values().stream()
                    .sorted(MOST_LEFT_FIRST)
                    .limit(wanted - serving)
                    .toList();
            int added = wanted - serving - undrain.size();
            return new Plan(replicas + added, List.of(), undrain, List.of(), 0, added, Optional.empty());
        }
        int excess = serving - wanted;
        int dropped = 0;
        if (excess > 0 && !rollingOut) {
            dropped = Math.min(excess, withoutRunningPod(replicas, pods));
            excess -= dropped;
        }
        List<PodState> drain = List.of();
        int room = maxDraining - drains.size();
        if (excess > 0 && room > 0) {
            drain = pods.stream()
                    .filter(p -> p.running()
                            && p.readable()
                            && !p.reportsDraining()
                            && !drains.containsKey(p.name())
                            && !removing.containsKey(p.name()))
                    .sorted(FEWEST_SESSIONS_FIRST)
                    .limit(Math.min(excess, room))
                    .toList();
        }
        List<Removal> remove = new ArrayList<>();
        Optional<String> waiting = Optional.empty();
        Map<String, PodState> byName = byName(pods);
        for (Drain d : drains.values()) {
            PodState pod = byName.get(d.pod());
            boolean empty = pod.readable() && pod.sessions() == 0;
            Duration drained = Duration.between(d.since(), now);
            boolean timedOut = drained.compareTo(timeout) >= 0;
            if (!empty && !timedOut) {
                continue;
            }
            if (rollingOut) {
                waiting = Optional.of(d.pod() + " has drained; it is removed once the rollout has finished");
                continue;
            }
            Optional<PodState> first = removedBefore(pod, pods, remove);
            if (first.isPresent()) {
                waiting = Optional.of(d.pod() + " has drained but is still Ready while "
                        + first.get().name()
                        + " is not, and the ReplicaSet removes pods that are not Ready first; it is removed once"
                        + " its readiness is down");
                continue;
            }
            long left = pod.readable() ? pod.sessions() : d.sessions();
            remove.add(new Removal(d.pod(), left, !empty, drained));
        }
        return new Plan(replicas - dropped - remove.size(), drain, List.of(), remove, dropped, 0, waiting);
    }

    /** The drain of {@code pod} began at {@code at}, with {@code sessions} left. */
    public void started(String pod, Instant at, long sessions) {
        drains.put(pod, new Drain(pod, at, sessions));
    }

    /** {@code pod} serves again. */
    public void undrained(String pod) {
        drains.remove(pod);
    }

    /** {@code pod} was handed to the ReplicaSet (lowest deletion cost, one replica fewer). */
    public void removed(String pod, Instant at) {
        drains.remove(pod);
        removing.put(pod, at);
    }

    /**
     * Replicas with no running pod behind them: the Deployment asks for more pods than there are,
     * or a pod has not started. Removing them cuts nothing, and the ReplicaSet removes pods that
     * have not started before any that run.
     */
    private int withoutRunningPod(int replicas, List<PodState> pods) {
        long present =
                pods.stream().filter(p -> !removing.containsKey(p.name())).count();
        long notStarted = pods.stream()
                .filter(p -> !p.running() && !removing.containsKey(p.name()) && !drains.containsKey(p.name()))
                .count();
        return (int) (Math.max(0, replicas - present) + notStarted);
    }

    /**
     * A running pod the ReplicaSet would remove before {@code drained}: one that is not Ready
     * while {@code drained} still is. Pods already handed over, or handed over this poll, do not
     * count.
     */
    private Optional<PodState> removedBefore(PodState drained, List<PodState> pods, List<Removal> handedOver) {
        if (!drained.ready()) {
            return Optional.empty();
        }
        return pods.stream()
                .filter(p -> p.running()
                        && !p.ready()
                        && !p.name().equals(drained.name())
                        && !removing.containsKey(p.name())
                        && handedOver.stream().noneMatch(r -> r.pod().equals(p.name())))
                .findFirst();
    }

    private static Map<String, PodState> byName(List<PodState> pods) {
        Map<String, PodState> byName = new LinkedHashMap<>();
        pods.forEach(p -> byName.put(p.name(), p));
        return byName;
    }
}

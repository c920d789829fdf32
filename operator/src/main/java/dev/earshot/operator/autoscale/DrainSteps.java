package dev.earshot.operator.autoscale;

import dev.earshot.operator.autoscale.DrainStateMachine.Drain;
import dev.earshot.operator.autoscale.DrainStateMachine.Removal;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.events.EventRecorder;
import dev.earshot.operator.observe.OperatorMetrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Carries out a {@link DrainStateMachine.Plan}: tells gateways to drain or to serve again, marks a
 * drained pod with the lowest deletion cost before the count drops, and writes an Event and a
 * counter for each step. A step that fails is left out of what it reports back, so the next poll
 * plans it again.
 */
final class DrainSteps {

    private static final System.Logger LOG = System.getLogger(DrainSteps.class.getName());

    private final HttpDrainClient client;
    private final DeletionCost deletionCost;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Duration timeout;
    /** Pods said once to have no drain switch ({@code namespace/name/pod}), not to repeat it every poll. */
    private final Set<String> cannotDrain = ConcurrentHashMap.newKeySet();

    /**
     * @param client the gateways' drain switch
     * @param deletionCost marks a pod before its removal
     * @param events Event writer
     * @param metrics operator counters
     * @param timeout how long one drain request may take
     */
    DrainSteps(
            HttpDrainClient client,
            DeletionCost deletionCost,
            EventRecorder events,
            OperatorMetrics metrics,
            Duration timeout) {
        this.client = client;
        this.deletionCost = deletionCost;
        this.events = events;
        this.metrics = metrics;
        this.timeout = timeout;
    }

    /**
     * Carries {@code plan} out and reports to {@code machine} what was done.
     *
     * @param resource the SpeechService (for Events)
     * @param plan this poll's plan
     * @param machine the SpeechService's drains
     * @param decision the policy's decision, quoted in the Events
     * @param replicas the Deployment's replicas before this poll
     * @param now this poll's time
     * @param reading where the pods' admin listeners are
     * @param drainTimeout the drain timeout, quoted in the Events
     * @return the replica count that results
     */
    int carryOut(
            SpeechService resource,
            DrainStateMachine.Plan plan,
            DrainStateMachine machine,
            Decision decision,
            int replicas,
            Instant now,
            PodReader.Reading reading,
            Duration drainTimeout) {
        for (Drain drain : plan.undrain()) {
            DrainAnswer answer = call(reading.admin(drain.pod()), client::undrain);
            if (answer instanceof DrainAnswer.Answered a && !a.draining()) {
                machine.undrained(drain.pod());
                metrics.undrained();
                events.normal(
                        resource,
                        "Undrained",
                        "Undrained " + drain.pod() + " (" + sessions(a.sessions()) + ") instead of adding a pod: "
                                + decision.message());
            } else {
                LOG.log(Level.WARNING, "could not undrain {0}: {1}", drain.pod(), answer);
            }
        }
        for (PodState pod : plan.drain()) {
            DrainAnswer answer = call(reading.admin(pod.name()), client::drain);
            if (answer instanceof DrainAnswer.Answered a && a.draining()) {
                machine.started(pod.name(), now, a.sessions());
                metrics.drainStarted();
                events.normal(
                        resource,
                        "DrainStarted",
                        "Draining " + pod.name() + " (" + sessions(a.sessions()) + "): " + decision.message()
                                + "; it goes once its last session ends, after " + human(drainTimeout) + " at most");
            } else if (answer instanceof DrainAnswer.Failed(String reason)
                    && reason.equals("HTTP 404")
                    && cannotDrain.add(ResourceID.fromResource(resource) + "/" + pod.name())) {
                events.warning(
                        resource,
                        "DrainUnsupported",
                        pod.name() + " has no /admin/drain: its image predates drain-before-remove, so it is not"
                                + " scaled down; run a current image");
            } else {
                LOG.log(Level.WARNING, "could not drain {0}: {1}", pod.name(), answer);
            }
        }
        if (plan.added() > 0) {
            events.normal(
                    resource,
                    "ScaledUp",
                    "Scaled from " + replicas + " to " + (replicas + plan.added()) + ": " + decision.message());
        }
        if (plan.dropped() > 0) {
            events.normal(
                    resource,
                    "ScaledDown",
                    "Scaled from " + replicas + " to " + (replicas - plan.dropped()) + ": " + decision.message() + " ("
                            + plan.dropped() + " without a running pod, nothing to drain)");
        }
        int next = plan.replicas();
        int from = replicas - plan.dropped();
        for (Removal removal : plan.remove()) {
            try {
                deletionCost.mark(resource.getMetadata().getNamespace(), removal.pod(), DeletionCost.REMOVE_FIRST);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not mark {0} for removal, keeping it: {1}", removal.pod(), e.toString());
                next++;
                continue;
            }
            machine.removed(removal.pod(), now);
            String counts = "; replicas " + from + " -> " + (from - 1);
            from--;
            if (removal.timedOut() && removal.sessionsLeft() > 0) {
                metrics.drainTimedOut();
                events.warning(
                        resource,
                        "DrainTimedOut",
                        "Removed " + removal.pod() + " after the drain timeout of " + human(drainTimeout) + " with "
                                + sessions(removal.sessionsLeft()) + " still live: " + removal.sessionsLeft()
                                + " cut" + counts);
            } else {
                metrics.removedAfterDrain();
                events.normal(
                        resource,
                        "RemovedAfterDrain",
                        "Removed " + removal.pod() + " after it drained for " + human(removal.drainedFor())
                                + ", no session cut" + counts);
            }
        }
        return next;
    }

    /** Tells a pod on the books whose gateway forgot its drain (it restarted) to drain again. */
    void redrain(URI admin) {
        DrainAnswer answer = call(admin, client::drain);
        if (!(answer instanceof DrainAnswer.Answered a && a.draining())) {
            LOG.log(Level.WARNING, "could not drain {0} again: {1}", admin, answer);
        }
    }

    private DrainAnswer call(URI admin, Function<URI, CompletableFuture<DrainAnswer>> request) {
        if (admin == null) {
            return new DrainAnswer.Failed("no admin URL");
        }
        return request.apply(admin)
                .completeOnTimeout(new DrainAnswer.Failed("timed out"), timeout.toMillis() + 500, TimeUnit.MILLISECONDS)
                .join();
    }

    private static String sessions(long n) {
        return n + (n == 1 ? " session" : " sessions");
    }

    /** "90s", "12m", "1h30m": for Event messages. */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 120 && m % 60 != 0) {
            return m + "m";
        }
        return m / 60 + "h" + (m % 60 == 0 ? "" : m % 60 + "m");
    }
}

package dev.earshot.operator.autoscale;

import dev.earshot.operator.autoscale.DrainStateMachine.Drain;
import dev.earshot.operator.crd.DrainingPod;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.crd.SpeechServiceStatus;
import dev.earshot.operator.events.EventRecorder;
import dev.earshot.operator.model.SpeechServiceConfig;
import dev.earshot.operator.observe.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The autoscaler loop: every poll interval, for each valid SpeechService, read
 * {@code earshot_sessions_active} and {@code earshot_draining} from each running pod's admin port,
 * ({@link PodReader}), run the {@link ScalingPolicy} on the serving pods, let the
 * {@link DrainStateMachine} turn the count it wants into drains, undrains and removals, and carry
 * them out ({@link DrainSteps}); record the outcome in the {@link ScalingLedger} and ask for a
 * reconcile, which applies the replica count and the status.
 *
 * <p>Everything it knows about the cluster comes from the operator's informer caches
 * ({@link ClusterView}): a poll sends the API server nothing. It writes only when it acts: a
 * deletion cost on a pod it removes, and Events.
 *
 * <p>The reconciler registers SpeechServices with {@link #track}; the loop stops polling one that
 * became invalid ({@link #untrack}) or was deleted. Polls of one SpeechService never overlap.
 */
public final class Autoscaler implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Autoscaler.class.getName());

    private final ScalingLedger ledger;
    private final PodReader podReader;
    private final DrainSteps steps;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final AutoscalerSettings settings;
    private final Consumer<ResourceID> reconcileTrigger;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentMap<ResourceID, Tracked> tracked = new ConcurrentHashMap<>();
    private final ConcurrentMap<ResourceID, List<Recommendation>> histories = new ConcurrentHashMap<>();
    private final ConcurrentMap<ResourceID, DrainStateMachine> drains = new ConcurrentHashMap<>();

    private volatile ClusterView view;

    private record Tracked(SpeechServiceConfig config, Duration interval, ScheduledFuture<?> future) {}

    /**
     * @param client API client, for the deletion cost of a pod being removed
     * @param ledger where decisions and observations go
     * @param scraper reads one pod's sessions
     * @param events Event writer
     * @param metrics operator counters
     * @param settings clock, intervals, pod URL function
     * @param reconcileTrigger asks JOSDK to reconcile a SpeechService
     */
    public Autoscaler(
            KubernetesClient client,
            ScalingLedger ledger,
            MetricsScraper scraper,
            EventRecorder events,
            OperatorMetrics metrics,
            AutoscalerSettings settings,
            Consumer<ResourceID> reconcileTrigger) {
        this.ledger = ledger;
        this.podReader = new PodReader(scraper, settings);
        this.steps = new DrainSteps(
                new HttpDrainClient(settings.scrapeTimeout()),
                new DeletionCost(client),
                events,
                metrics,
                settings.scrapeTimeout());
        this.events = events;
        this.metrics = metrics;
        this.settings = settings;
        this.reconcileTrigger = reconcileTrigger;
        this.scheduler = Executors.newScheduledThreadPool(
                2,
                Thread.ofPlatform().name("earshot-autoscaler-", 0).daemon(true).factory());
    }

    /**
     * Where polls read the cluster from. The reconciler hands over its informer caches when JOSDK
     * asks it for its event sources, which is after this autoscaler was built; until then a poll
     * does nothing.
     */
    public void readFrom(ClusterView caches) {
        view = caches;
    }

    /** Starts (or keeps) polling a SpeechService with its latest valid config. */
    public void track(ResourceID id, SpeechServiceConfig config) {
        Duration interval = settings.pollInterval().apply(config);
        tracked.compute(id, (key, old) -> {
            if (old != null && old.interval().equals(interval)) {
                return new Tracked(config, interval, old.future());
            }
            if (old != null) {
                old.future().cancel(false);
            }
            LOG.log(Level.INFO, "autoscaling {0} every {1} ms", id, interval.toMillis());
            ScheduledFuture<?> future = scheduler.scheduleWithFixedDelay(
                    () -> poll(id), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            return new Tracked(config, interval, future);
        });
    }

    /**
     * Stops polling a SpeechService and forgets its history and drains. Pods it was draining keep
     * draining; if the SpeechService becomes valid again, the next poll adopts them.
     */
    public void untrack(ResourceID id) {
        Tracked old = tracked.remove(id);
        if (old != null) {
            old.future().cancel(false);
            LOG.log(Level.INFO, "stopped autoscaling {0}", id);
        }
        histories.remove(id);
        drains.remove(id);
        ledger.forget(id);
    }

    /** Whether a SpeechService is being polled. */
    public boolean isTracking(ResourceID id) {
        return tracked.containsKey(id);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private void poll(ResourceID id) {
        try {
            pollOnce(id);
        } catch (RuntimeException e) {
            // Never let an exception cancel the schedule; the next poll tries again.
            LOG.log(Level.WARNING, "autoscaler poll of " + id + " failed", e);
        }
    }

    private void pollOnce(ResourceID id) {
        Tracked entry = tracked.get(id);
        ClusterView caches = view;
        if (entry == null || caches == null) {
            return;
        }
        Optional<SpeechService> found = caches.speechService(id);
        if (found.isEmpty()) {
            untrack(id);
            return;
        }
        SpeechService resource = found.get();
        Deployment deployment = caches.deployment(id).orElse(null);
        if (deployment == null || deployment.getSpec() == null) {
            return; // the reconciler has not created it yet
        }
        metrics.polled();
        SpeechServiceConfig config = entry.config();
        int replicas = ledger.decidedReplicas(id)
                .orElseGet(() ->
                        Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1));
        Instant now = settings.clock().instant();

        Map<String, Pod> pods = new LinkedHashMap<>();
        caches.pods(resource).stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .forEach(p -> pods.put(p.getMetadata().getName(), p));
        PodReader.Reading reading = podReader.read(pods.values(), config.adminPort());
        List<PodState> states = reading.pods();

        DrainStateMachine machine = drains.computeIfAbsent(id, k -> new DrainStateMachine());
        DrainStateMachine.Observed observed = machine.observe(now, states, recordedDrainStarts(resource));
        observed.adopted()
                .forEach(d -> LOG.log(Level.INFO, "{0}: {1} drains; carrying on with its drain", id, d.pod()));
        observed.forgotten().forEach(d -> LOG.log(Level.INFO, "{0}: {1} went away while it drained", id, d.pod()));
        for (String pod : observed.redrain()) {
            LOG.log(Level.INFO, "{0}: {1} no longer drains (restarted?); telling it again", id, pod);
            steps.redrain(reading.admin(pod));
        }

        int serving = machine.serving(replicas);
        long total = states.stream()
                .filter(PodState::readable)
                .mapToLong(PodState::sessions)
                .sum();
        int reporting = (int) states.stream().filter(PodState::readable).count();
        Map<String, String> failures = readyFailures(states);
        failures.values().forEach(f -> metrics.scrapeFailed());
        Sample sample = new Sample(now, serving, total, reporting, failures.size());
        Decision decision =
                ScalingPolicy.evaluate(ScalingTarget.of(config), histories.getOrDefault(id, List.of()), sample);
        histories.put(id, decision.history());

        DrainStateMachine.Plan plan = machine.plan(
                now,
                replicas,
                decision.replicas(),
                states,
                config.scaling().maxDraining(),
                config.scaling().drainTimeout(),
                Rollout.inProgress(deployment));
        int next = steps.carryOut(
                resource,
                plan,
                machine,
                decision,
                replicas,
                now,
                reading,
                config.scaling().drainTimeout());
        plan.waiting().ifPresent(why -> LOG.log(Level.DEBUG, "{0}: {1}", id, why));

        Optional<Instant> lastScale = ledger.observation(id).flatMap(ScalingLedger.Observation::lastScaleTime);
        if (next != replicas) {
            ledger.decide(id, next);
            lastScale = Optional.of(now);
            metrics.rescaled(replicas, next);
        }
        LOG.log(
                next != replicas ? Level.INFO : Level.DEBUG,
                "poll {0}: {1} replicas ({2} serving, {3} draining) -> {4} ({5}: {6})",
                id,
                replicas,
                serving,
                replicas - serving,
                next,
                decision.reason(),
                decision.message());

        boolean wasAvailable = ledger.observation(id)
                .map(ScalingLedger.Observation::metricsAvailable)
                .orElse(true);
        int ready = (int) states.stream().filter(PodState::ready).count();
        ScalingLedger.Observation observation =
                observation(config, ready, total, failures, decision, lastScale, machine.draining());
        if (wasAvailable && !observation.metricsAvailable() && !failures.isEmpty()) {
            events.warning(resource, "MetricsUnavailable", observation.metricsMessage());
        }
        boolean changed = ledger.observe(id, observation);
        if (changed || next != replicas) {
            reconcileTrigger.accept(id);
        }
    }

    /** Drain starts the status recorded, so that a new leader keeps each drain's start. */
    private static Map<String, Instant> recordedDrainStarts(SpeechService resource) {
        SpeechServiceStatus status = resource.getStatus();
        if (status == null || status.getDrainingPods() == null) {
            return Map.of();
        }
        Map<String, Instant> since = new LinkedHashMap<>();
        for (DrainingPod pod : status.getDrainingPods()) {
            try {
                since.put(pod.getName(), Instant.parse(pod.getSince()));
            } catch (RuntimeException e) {
                // a status edited by hand: the drain counts from now
            }
        }
        return since;
    }

    /** Ready pods whose admin port did not answer: their sessions are unknown. */
    private static Map<String, String> readyFailures(List<PodState> states) {
        Map<String, String> failures = new LinkedHashMap<>();
        for (PodState pod : states) {
            if (pod.ready() && pod.reading() instanceof ScrapeResult.Failed f) {
                failures.put(pod.name(), f.reason());
            }
        }
        return failures;
    }

    private static ScalingLedger.Observation observation(
            SpeechServiceConfig config,
            int readyPods,
            long total,
            Map<String, String> failures,
            Decision decision,
            Optional<Instant> lastScale,
            List<Drain> draining) {
        boolean available = readyPods > 0 && failures.isEmpty();
        String reason;
        String message;
        if (!failures.isEmpty()) {
            reason = "ScrapeFailed";
            message = "could not read " + MetricsScraper.SESSIONS_METRIC + " from " + failures.size()
                    + " of " + readyPods + " ready pods: "
                    + failures.entrySet().stream()
                            .map(e -> e.getKey() + " (" + e.getValue() + ")")
                            .collect(Collectors.joining(", "))
                    + "; no scale-down until every ready pod reports";
        } else if (readyPods == 0) {
            reason = "NoReadyPods";
            message = "no ready pods to read " + MetricsScraper.SESSIONS_METRIC + " from";
        } else {
            reason = "MetricsRead";
            message = "read " + MetricsScraper.SESSIONS_METRIC + " from all " + readyPods + " ready pods";
        }
        String limitMessage = switch (decision.limit()) {
            case MIN -> "the session load needs fewer replicas than replicas.min (" + config.minReplicas() + ")";
            case MAX -> "the session load needs more replicas than replicas.max (" + config.maxReplicas() + ")";
            case NONE -> "the recommended replica count is within replicas.min..replicas.max";
        };
        return new ScalingLedger.Observation(
                total,
                (long) readyPods * config.maxSessionsPerReplica(),
                available,
                reason,
                message,
                decision.limit(),
                limitMessage,
                lastScale,
                draining);
    }
}

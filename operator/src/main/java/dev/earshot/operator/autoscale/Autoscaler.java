package dev.earshot.operator.autoscale;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.events.EventRecorder;
import dev.earshot.operator.model.Labels;
import dev.earshot.operator.model.SpeechServiceConfig;
import dev.earshot.operator.observe.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * {@code earshot_sessions_active} from each ready pod, run the {@link ScalingPolicy}, mark pods
 * with their deletion cost before a scale-down, record the outcome in the {@link ScalingLedger},
 * emit an Event for every rescale, and ask for a reconcile, which applies the count and the status.
 *
 * <p>The reconciler registers SpeechServices with {@link #track}; the loop stops polling one that
 * became invalid ({@link #untrack}) or was deleted. Polls of one SpeechService never overlap.
 */
public final class Autoscaler implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Autoscaler.class.getName());

    private final KubernetesClient client;
    private final ScalingLedger ledger;
    private final MetricsScraper scraper;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final AutoscalerSettings settings;
    private final Consumer<ResourceID> reconcileTrigger;
    private final DeletionCost deletionCost;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentMap<ResourceID, Tracked> tracked = new ConcurrentHashMap<>();
    private final ConcurrentMap<ResourceID, List<Recommendation>> histories = new ConcurrentHashMap<>();

    private record Tracked(SpeechServiceConfig config, Duration interval, ScheduledFuture<?> future) {}

    /**
     * @param client API client
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
        this.client = client;
        this.ledger = ledger;
        this.scraper = scraper;
        this.events = events;
        this.metrics = metrics;
        this.settings = settings;
        this.reconcileTrigger = reconcileTrigger;
        this.deletionCost = new DeletionCost(client);
        this.scheduler = Executors.newScheduledThreadPool(
                2,
                Thread.ofPlatform().name("earshot-autoscaler-", 0).daemon(true).factory());
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

    /** Stops polling a SpeechService and forgets its history. */
    public void untrack(ResourceID id) {
        Tracked old = tracked.remove(id);
        if (old != null) {
            old.future().cancel(false);
            LOG.log(Level.INFO, "stopped autoscaling {0}", id);
        }
        histories.remove(id);
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
            LOG.log(Level.WARNING, "autoscaler poll of {0} failed: {1}", id, e.toString());
        }
    }

    private void pollOnce(ResourceID id) {
        Tracked entry = tracked.get(id);
        if (entry == null) {
            return;
        }
        String namespace = id.getNamespace().orElseThrow();
        SpeechService resource = client.resources(SpeechService.class)
                .inNamespace(namespace)
                .withName(id.getName())
                .get();
        if (resource == null) {
            untrack(id);
            return;
        }
        Deployment deployment = client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(id.getName())
                .get();
        if (deployment == null || deployment.getSpec() == null) {
            return; // the reconciler has not created it yet
        }
        metrics.polled();
        SpeechServiceConfig config = entry.config();
        int current = ledger.decidedReplicas(id)
                .orElseGet(() ->
                        Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1));

        List<Pod> ready =
                client.pods().inNamespace(namespace).withLabels(Labels.selector(resource)).list().getItems().stream()
                        .filter(PodReadiness::isReady)
                        .toList();
        Map<String, Long> sessionsByPod = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        scrapeAll(ready, config.adminPort(), sessionsByPod, failures);
        failures.values().forEach(f -> metrics.scrapeFailed());
        long total = sessionsByPod.values().stream().mapToLong(Long::longValue).sum();

        Instant now = settings.clock().instant();
        Sample sample = new Sample(now, current, total, sessionsByPod.size(), failures.size());
        Decision decision =
                ScalingPolicy.evaluate(ScalingTarget.of(config), histories.getOrDefault(id, List.of()), sample);
        histories.put(id, decision.history());

        Optional<Instant> lastScale = ledger.observation(id).flatMap(ScalingLedger.Observation::lastScaleTime);
        int next = decision.replicas();
        if (next < current && !markDeletionCost(id, namespace, sessionsByPod)) {
            next = current;
        }
        if (next != current) {
            ledger.decide(id, next);
            lastScale = Optional.of(now);
            metrics.rescaled(current, next);
            events.normal(
                    resource,
                    next > current ? "ScaledUp" : "ScaledDown",
                    "Scaled from " + current + " to " + next + ": " + decision.message());
        }
        LOG.log(
                next != current ? Level.INFO : Level.DEBUG,
                "poll {0}: {1} -> {2} ({3}: {4})",
                id,
                current,
                next,
                decision.reason(),
                decision.message());

        boolean wasAvailable = ledger.observation(id)
                .map(ScalingLedger.Observation::metricsAvailable)
                .orElse(true);
        ScalingLedger.Observation observation = observation(config, ready.size(), total, failures, decision, lastScale);
        if (wasAvailable && !observation.metricsAvailable() && !failures.isEmpty()) {
            events.warning(resource, "MetricsUnavailable", observation.metricsMessage());
        }
        boolean changed = ledger.observe(id, observation);
        if (changed || next != current) {
            reconcileTrigger.accept(id);
        }
    }

    private void scrapeAll(List<Pod> pods, int port, Map<String, Long> sessions, Map<String, String> failures) {
        Map<String, CompletableFuture<ScrapeResult>> pending = new LinkedHashMap<>();
        for (Pod pod : pods) {
            CompletableFuture<ScrapeResult> result;
            try {
                result = scraper.scrape(settings.metricsUrl().of(pod, port))
                        .completeOnTimeout(
                                new ScrapeResult.Failed("timed out"),
                                settings.scrapeTimeout().toMillis() + 500,
                                TimeUnit.MILLISECONDS)
                        .exceptionally(e -> new ScrapeResult.Failed(e.toString()));
            } catch (RuntimeException e) {
                result = CompletableFuture.completedFuture(new ScrapeResult.Failed(e.toString()));
            }
            pending.put(pod.getMetadata().getName(), result);
        }
        pending.forEach((pod, future) -> {
            switch (future.join()) {
                case ScrapeResult.Sessions s -> sessions.put(pod, s.sessions());
                case ScrapeResult.Failed f -> failures.put(pod, f.reason());
            }
        });
    }

    /** Marks the pods before a scale-down; false (no scale-down this poll) when that fails. */
    private boolean markDeletionCost(ResourceID id, String namespace, Map<String, Long> sessionsByPod) {
        try {
            deletionCost.mark(namespace, sessionsByPod);
            return true;
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "could not mark deletion cost on pods of {0}, not scaling down: {1}",
                    id,
                    e.toString());
            return false;
        }
    }

    private static ScalingLedger.Observation observation(
            SpeechServiceConfig config,
            int readyPods,
            long total,
            Map<String, String> failures,
            Decision decision,
            Optional<Instant> lastScale) {
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
                lastScale);
    }
}

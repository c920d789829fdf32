package dev.earshot.operator.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The operator's own counters, beside JOSDK's reconciliation meters on the same registry: enough
 * to alert on a reconcile loop that keeps failing or an autoscaler that cannot see its pods.
 * <ul>
 *   <li>{@code earshot_operator_reconciles_total{result="success|error|invalid_spec"}}</li>
 *   <li>{@code earshot_operator_autoscaler_polls_total}</li>
 *   <li>{@code earshot_operator_scrape_failures_total} (pod metric reads that failed)</li>
 *   <li>{@code earshot_operator_rescales_total{direction="up|down"}}</li>
 *   <li>{@code earshot_operator_drains_total{outcome="started|undrained|removed|timed_out"}}
 *       (a drain that times out cuts sessions: worth an alert)</li>
 * </ul>
 * Every series is registered up front, so a scrape shows zeros rather than nothing before the
 * first event.
 */
public final class OperatorMetrics {

    private final Counter reconcileSuccess;
    private final Counter reconcileFailure;
    private final Counter invalidSpec;
    private final Counter polls;
    private final Counter scrapeFailures;
    private final Counter scaleUps;
    private final Counter scaleDowns;
    private final Counter drainsStarted;
    private final Counter undrained;
    private final Counter removedAfterDrain;
    private final Counter drainsTimedOut;

    public OperatorMetrics(MeterRegistry registry) {
        reconcileSuccess = reconciles(registry, "success");
        reconcileFailure = reconciles(registry, "error");
        invalidSpec = reconciles(registry, "invalid_spec");
        polls = Counter.builder("earshot.operator.autoscaler.polls")
                .description("Autoscaler polls of a SpeechService")
                .register(registry);
        scrapeFailures = Counter.builder("earshot.operator.scrape.failures")
                .description("Pod metric reads that failed")
                .register(registry);
        scaleUps = rescales(registry, "up");
        scaleDowns = rescales(registry, "down");
        drainsStarted = drains(registry, "started");
        undrained = drains(registry, "undrained");
        removedAfterDrain = drains(registry, "removed");
        drainsTimedOut = drains(registry, "timed_out");
    }

    private static Counter drains(MeterRegistry registry, String outcome) {
        return Counter.builder("earshot.operator.drains")
                .tag("outcome", outcome)
                .description("Pod drains by outcome: started, undrained, removed once empty, timed_out")
                .register(registry);
    }

    private static Counter reconciles(MeterRegistry registry, String result) {
        return Counter.builder("earshot.operator.reconciles")
                .tag("result", result)
                .description("SpeechService reconciles by result")
                .register(registry);
    }

    private static Counter rescales(MeterRegistry registry, String direction) {
        return Counter.builder("earshot.operator.rescales")
                .tag("direction", direction)
                .description("Replica count changes by direction")
                .register(registry);
    }

    public void reconcileSucceeded() {
        reconcileSuccess.increment();
    }

    public void reconcileFailed() {
        reconcileFailure.increment();
    }

    public void invalidSpec() {
        invalidSpec.increment();
    }

    public void polled() {
        polls.increment();
    }

    public void scrapeFailed() {
        scrapeFailures.increment();
    }

    public void rescaled(int from, int to) {
        if (to > from) {
            scaleUps.increment();
        } else if (to < from) {
            scaleDowns.increment();
        }
    }

    public void drainStarted() {
        drainsStarted.increment();
    }

    public void undrained() {
        undrained.increment();
    }

    public void removedAfterDrain() {
        removedAfterDrain.increment();
    }

    public void drainTimedOut() {
        drainsTimedOut.increment();
    }

    /** Drains ended by the timeout, with sessions cut. */
    public long drainsTimedOut() {
        return (long) drainsTimedOut.count();
    }

    public long scrapeFailures() {
        return (long) scrapeFailures.count();
    }

    public long rescales() {
        return (long) (scaleUps.count() + scaleDowns.count());
    }

    public long reconciles() {
        return (long) (reconcileSuccess.count() + reconcileFailure.count() + invalidSpec.count());
    }
}

package dev.earshot.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Earshot's own meters, registered on the gateway's Micrometer registry and scraped with the JVM's
 * at {@code /observe/metrics}. The Prometheus names are a contract (the operator scales on
 * {@code earshot_sessions_active}; README, "Metrics"):
 * <ul>
 *   <li>{@code earshot_sessions_active}, {@code earshot_sessions_capacity} (gauges)</li>
 *   <li>{@code earshot_sessions_total{outcome}}, {@code earshot_audio_seconds_total},
 *       {@code earshot_results_total{final}}, {@code earshot_backend_errors_total{code}} (counters)</li>
 *   <li>{@code earshot_first_result_seconds} (histogram with fixed buckets, plus Micrometer's
 *       {@code _max}: a session's first audio to its first result)</li>
 * </ul>
 * Each gateway has a registry of its own rather than a process-wide one, so that the gauges of a
 * gateway read that gateway's sessions even when a test runs several in one JVM. The meters whose
 * labels are known up front are registered here; the others once per label value and then kept,
 * so recording never looks up a meter: {@link #result} runs once per transcript event (about once
 * per audio chunk) and costs one striped-adder increment.
 */
public final class GatewayMetrics {
    /** Bucket bounds of {@code earshot_first_result_seconds}, from "instant" to "something is wrong". */
    static final Duration[] FIRST_RESULT_BUCKETS = {
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10)
    };

    private final MeterRegistry registry;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Counter> backendErrors = new ConcurrentHashMap<>();
    private final Counter audioSeconds;
    private final Counter finals;
    private final Counter interims;
    private final Counter recoveries;
    private final Timer firstResult;

    /**
     * Registers the meters.
     *
     * @param active   sessions open now
     * @param capacity most sessions this replica accepts
     */
    public GatewayMetrics(MeterRegistry registry, IntSupplier active, IntSupplier capacity) {
        this.registry = registry;
        // Micrometer holds a gauge's object weakly unless told otherwise; these suppliers are
        // referenced nowhere else, and a collected one would read NaN.
        Gauge.builder("earshot.sessions.active", active, IntSupplier::getAsInt)
                .description("WebSocket sessions open now")
                .strongReference(true)
                .register(registry);
        Gauge.builder("earshot.sessions.capacity", capacity, IntSupplier::getAsInt)
                .description("Most sessions this replica accepts (sessions.max)")
                .strongReference(true)
                .register(registry);
        audioSeconds = Counter.builder("earshot.audio")
                .baseUnit("seconds")
                .description("Seconds of audio received by ended sessions")
                .register(registry);
        finals = results("true");
        interims = results("false");
        recoveries = Counter.builder("earshot.backend.recoveries")
                .description("Sessions whose failed Riva stream a new one took over")
                .register(registry);
        firstResult = Timer.builder("earshot.first.result")
                .description("From a session's first audio to its first result")
                .serviceLevelObjectives(FIRST_RESULT_BUCKETS)
                .register(registry);
    }

    private Counter results(String isFinal) {
        return Counter.builder("earshot.results")
                .tag("final", isFinal)
                .description("Transcript events sent, final or interim")
                .register(registry);
    }

    public void sessionEnded(String outcome, double seconds) {
        outcomes.computeIfAbsent(
                        outcome,
                        o -> Counter.builder("earshot.sessions")
                                .tag("outcome", o)
                                .description("Sessions ended, by outcome")
                                .register(registry))
                .increment();
        if (seconds > 0) {
            audioSeconds.increment(seconds);
        }
    }

    public void result(boolean isFinal) {
        (isFinal ? finals : interims).increment();
    }

    public void backendError(String code) {
        backendErrors
                .computeIfAbsent(
                        code,
                        c -> Counter.builder("earshot.backend.errors")
                                .tag("code", c)
                                .description("Riva streams that ended in an error, by gRPC status")
                                .register(registry))
                .increment();
    }

    /** A session's failed Riva stream was replaced by one that answers. */
    public void backendRecovered() {
        recoveries.increment();
    }

    public void firstResult(Duration latency) {
        firstResult.record(latency);
    }
}

package dev.earshot.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The gateway's meters in Prometheus text format, served at {@code /observe/metrics}. The names
 * are a contract: the operator scales on {@code earshot_sessions_active}.
 * <ul>
 *   <li>{@code earshot_sessions_active}, {@code earshot_sessions_capacity} (gauges)</li>
 *   <li>{@code earshot_sessions_total{outcome}}, {@code earshot_audio_seconds_total},
 *       {@code earshot_results_total{final}}, {@code earshot_backend_errors_total{code}} (counters)</li>
 *   <li>{@code earshot_first_result_seconds} (histogram: a session's first audio to its first result)</li>
 *   <li>{@code process_cpu_seconds_total}, {@code process_resident_memory_bytes},
 *       {@code jvm_memory_heap_used_bytes}, {@code jvm_threads_live} (platform threads)</li>
 * </ul>
 * Written by hand rather than through Helidon's metrics: those share one process-wide Micrometer
 * registry, which binds the gauges to whichever gateway registered first and cannot count
 * fractional seconds. Recording is lock-free; rendering happens only when scraped.
 */
public final class GatewayMetrics {
    private final IntSupplier active;
    private final IntSupplier capacity;
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> backendErrors = new ConcurrentHashMap<>();
    private final DoubleAdder audioSeconds = new DoubleAdder();
    private final LongAdder finals = new LongAdder();
    private final LongAdder interims = new LongAdder();
    private final LatencyHistogram firstResult =
            new LatencyHistogram(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);

    public GatewayMetrics(IntSupplier active, IntSupplier capacity) {
        this.active = active;
        this.capacity = capacity;
    }

    public void sessionEnded(String outcome, double seconds) {
        outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
        if (seconds > 0) {
            audioSeconds.add(seconds);
        }
    }

    public void result(boolean isFinal) {
        (isFinal ? finals : interims).increment();
    }

    public void backendError(String code) {
        backendErrors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    public void firstResult(Duration latency) {
        firstResult.record(latency);
    }

    /** The exposition, Prometheus text format 0.0.4. */
    public String prometheus() {
        StringBuilder out = new StringBuilder(2048);
        header(out, "earshot_sessions_active", "gauge", "WebSocket sessions open now");
        out.append("earshot_sessions_active ").append(active.getAsInt()).append('\n');
        header(out, "earshot_sessions_capacity", "gauge", "Most sessions this replica accepts (sessions.max)");
        out.append("earshot_sessions_capacity ").append(capacity.getAsInt()).append('\n');
        header(out, "earshot_sessions_total", "counter", "Sessions ended, by outcome");
        labelled(out, "earshot_sessions_total", "outcome", outcomes);
        header(out, "earshot_audio_seconds_total", "counter", "Seconds of audio received by ended sessions");
        out.append("earshot_audio_seconds_total ").append(audioSeconds.sum()).append('\n');
        header(out, "earshot_results_total", "counter", "Transcript events sent, final or interim");
        out.append("earshot_results_total{final=\"true\"} ").append(finals.sum()).append('\n');
        out.append("earshot_results_total{final=\"false\"} ").append(interims.sum()).append('\n');
        header(out, "earshot_backend_errors_total", "counter", "Riva streams that ended in an error, by gRPC status");
        labelled(out, "earshot_backend_errors_total", "code", backendErrors);
        header(out, "earshot_first_result_seconds", "histogram", "From a session's first audio to its first result");
        firstResult.write(out, "earshot_first_result_seconds");
        processMetrics(out);
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void labelled(StringBuilder out, String name, String label, Map<String, LongAdder> values) {
        new TreeMap<>(values).forEach((k, v) -> out.append(name).append('{').append(label).append("=\"").append(k)
                .append("\"} ").append(v.sum()).append('\n'));
    }

    private static void processMetrics(StringBuilder out) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            header(out, "process_cpu_seconds_total", "counter", "CPU time used by this process");
            out.append("process_cpu_seconds_total ").append(os.getProcessCpuTime() / 1e9).append('\n');
        }
        long rss = residentBytes();
        if (rss > 0) {
            header(out, "process_resident_memory_bytes", "gauge", "Resident memory of this process");
            out.append("process_resident_memory_bytes ").append(rss).append('\n');
        }
        header(out, "jvm_memory_heap_used_bytes", "gauge", "Java heap in use");
        out.append("jvm_memory_heap_used_bytes ").append(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
                .append('\n');
        header(out, "jvm_threads_live", "gauge", "Live platform threads (virtual threads are not counted)");
        out.append("jvm_threads_live ").append(ManagementFactory.getThreadMXBean().getThreadCount()).append('\n');
    }

    /** Resident set size from /proc (Linux); 0 elsewhere. */
    static long residentBytes() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}

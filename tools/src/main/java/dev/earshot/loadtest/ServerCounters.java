package dev.earshot.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own CPU time and resident memory, read from its {@code /observe/metrics} (on the
 * admin listener, {@code server.admin-port}): CPU per
 * chunk is the one figure that does not depend on what else the machine is doing.
 *
 * @param cpuSeconds  {@code process_cpu_time_ns_total} (Micrometer's, in nanoseconds) in seconds
 * @param rssBytes    {@code process_resident_memory_bytes}
 * @param heapBytes   {@code jvm_memory_used_bytes{area="heap"}} summed over the heap's pools
 */
record ServerCounters(double cpuSeconds, long rssBytes, long heapBytes) {

    /** Reads the counters from a gateway's scrape URL; empty values when unreachable. */
    static ServerCounters read(HttpClient http, URI metrics) {
        try {
            String text = http.send(
                            HttpRequest.newBuilder(metrics)
                                    .timeout(Duration.ofSeconds(10))
                                    .header("Accept", "text/plain")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            return parse(text);
        } catch (Exception e) {
            return new ServerCounters(Double.NaN, -1, -1);
        }
    }

    /** The counters in a scrape in Prometheus text format; NaN or -1 for those it lacks. */
    static ServerCounters parse(String text) {
        double cpuNanos = sum(text, "process_cpu_time_ns_total", "");
        double rss = sum(text, "process_resident_memory_bytes", "");
        double heap = sum(text, "jvm_memory_used_bytes", "area=\"heap\"");
        return new ServerCounters(
                cpuNanos / 1e9, Double.isNaN(rss) ? -1 : (long) rss, Double.isNaN(heap) ? -1 : (long) heap);
    }

    /**
     * The sum of the samples of {@code name} whose label set contains {@code label} (any sample
     * when it is empty), NaN when there are none.
     */
    private static double sum(String text, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^\\n]*})? ([0-9.eE+-]+|NaN)(?: [0-9]+)?$")
                .matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (labels.contains(label)) {
                sum += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }
}

package dev.earshot.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own CPU time and resident memory, read from its {@code /observe/metrics}: CPU per
 * chunk is the one figure that does not depend on what else the machine is doing.
 *
 * @param cpuSeconds  {@code process_cpu_seconds_total}
 * @param rssBytes    {@code process_resident_memory_bytes}
 * @param heapBytes   {@code jvm_memory_heap_used_bytes}
 */
record ServerCounters(double cpuSeconds, long rssBytes, long heapBytes) {

    /** Reads the counters of the gateway behind a WebSocket URL; empty values when unreachable. */
    static ServerCounters read(HttpClient http, URI websocket) {
        String scheme = websocket.getScheme().equals("wss") ? "https" : "http";
        URI metrics = URI.create(scheme + "://" + websocket.getRawAuthority() + "/observe/metrics");
        try {
            String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                                    HttpResponse.BodyHandlers.ofString()).body();
            return new ServerCounters(value(text, "process_cpu_seconds_total"),
                                      (long) value(text, "process_resident_memory_bytes"),
                                      (long) value(text, "jvm_memory_heap_used_bytes"));
        } catch (Exception e) {
            return new ServerCounters(Double.NaN, -1, -1);
        }
    }

    private static double value(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}

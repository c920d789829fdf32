package dev.earshot.loadtest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a load run: a table for people, JSON for scripts.
 *
 * @param options          what was asked
 * @param established      sessions that started
 * @param completed        sessions that ran to their end (stopped, or held for the whole time)
 * @param refused          sessions refused, by error code
 * @param errors           errors after the start, by code
 * @param missingResults   completed sessions where some chunk got no answer
 * @param chunks           audio chunks sent
 * @param messages         server messages received
 * @param seconds          wall time of the run
 * @param chunkLatency     chunk sent → its answer received, microseconds
 * @param stopLatency      stop sent → {@code transcription_stopped}, microseconds
 * @param sendLag          real time only: how late the tool wrote each chunk (sent − due), microseconds —
 *                         whether the tool kept up, so the latencies mean what they say
 * @param cpuMicrosPerChunk the gateway's CPU time per chunk (NaN when unknown)
 * @param serverCpuSeconds  the gateway's CPU time during the run
 * @param rssPerSessionBytes in hold mode: the gateway's resident memory per held session
 * @param serverRssBytes    the gateway's resident memory with every session open
 * @param toolCpuSeconds    this process's own CPU time during the run (it includes the gateway's
 *                          when both run in one JVM, as in tests)
 * @param toolCpuMicrosPerChunk the same per chunk sent (NaN when none was)
 */
public record LoadReport(
        LoadTestOptions options,
        int established,
        int completed,
        Map<String, Integer> refused,
        Map<String, Integer> errors,
        int missingResults,
        long chunks,
        long messages,
        double seconds,
        LatencyStats.Summary chunkLatency,
        LatencyStats.Summary stopLatency,
        LatencyStats.Summary sendLag,
        double cpuMicrosPerChunk,
        double serverCpuSeconds,
        double rssPerSessionBytes,
        long serverRssBytes,
        double toolCpuSeconds,
        double toolCpuMicrosPerChunk) {

    /** The human-readable summary. */
    public String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(
                Locale.ROOT,
                "%n%-34s %s%n",
                "mode",
                options.hold()
                        ? "hold (keepalives only)"
                        : options.realtime() ? "streaming, real time" : "streaming, as fast as possible"));
        row(t, "sessions asked / established", options.sessions() + " / " + established);
        row(t, "event loops", String.valueOf(options.loops()));
        row(t, "sessions completed", String.valueOf(completed));
        row(t, "refused (by code)", refused.isEmpty() ? "none" : refused.toString());
        row(t, "errors (by code)", errors.isEmpty() ? "none" : errors.toString());
        row(t, "sessions with a missing result", String.valueOf(missingResults));
        row(t, "chunks sent", String.valueOf(chunks));
        row(t, "messages received", String.valueOf(messages));
        row(t, "messages per second", String.format(Locale.ROOT, "%.0f", messages / Math.max(seconds, 1e-9)));
        if (!options.hold()) {
            row(
                    t,
                    "chunk latency p50/p95/p99/max",
                    ms(chunkLatency.p50()) + " / " + ms(chunkLatency.p95()) + " / " + ms(chunkLatency.p99()) + " / "
                            + ms(chunkLatency.max()) + " ms");
            row(
                    t,
                    "stop → stopped p50/p99/max",
                    ms(stopLatency.p50()) + " / " + ms(stopLatency.p99()) + " / " + ms(stopLatency.max()) + " ms");
            row(
                    t,
                    "send lag (sent − due) p99/max",
                    options.realtime() ? ms(sendLag.p99()) + " / " + ms(sendLag.max()) + " ms" : "n/a (--fast)");
            row(t, "gateway CPU per chunk round trip", String.format(Locale.ROOT, "%.1f µs", cpuMicrosPerChunk));
        }
        row(t, "gateway CPU during the run", String.format(Locale.ROOT, "%.1f s", serverCpuSeconds));
        row(t, "load tool CPU during the run", String.format(Locale.ROOT, "%.1f s", toolCpuSeconds));
        if (!options.hold()) {
            row(t, "load tool CPU per chunk round trip", String.format(Locale.ROOT, "%.1f µs", toolCpuMicrosPerChunk));
        }
        if (options.hold()) {
            row(t, "gateway RSS with all sessions open", String.format(Locale.ROOT, "%.1f MB", serverRssBytes / 1e6));
            row(t, "gateway RSS per held session", String.format(Locale.ROOT, "%.1f KB", rssPerSessionBytes / 1024));
        }
        row(t, "wall time", String.format(Locale.ROOT, "%.1f s", seconds));
        return t.toString();
    }

    private static void row(StringBuilder t, String name, String value) {
        t.append(String.format(Locale.ROOT, "%-34s %s%n", name, value));
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    /** The same as JSON. */
    public String json() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("mode", options.hold() ? "hold" : options.realtime() ? "realtime" : "fast");
            g.writeNumberField("sessions", options.sessions());
            g.writeNumberField("loops", options.loops());
            g.writeNumberField("established", established);
            g.writeNumberField("completed", completed);
            writeMap(g, "refused", refused);
            writeMap(g, "errors", errors);
            g.writeNumberField("sessions_missing_results", missingResults);
            g.writeNumberField("chunks", chunks);
            g.writeNumberField("messages", messages);
            g.writeNumberField("seconds", seconds);
            writeLatency(g, "chunk_latency_ms", chunkLatency);
            writeLatency(g, "stop_latency_ms", stopLatency);
            writeLatency(g, "send_lag_ms", sendLag);
            g.writeNumberField("server_cpu_us_per_chunk", Double.isNaN(cpuMicrosPerChunk) ? -1 : cpuMicrosPerChunk);
            g.writeNumberField("server_cpu_seconds", Double.isNaN(serverCpuSeconds) ? -1 : serverCpuSeconds);
            g.writeNumberField("server_rss_bytes", serverRssBytes);
            g.writeNumberField("server_rss_bytes_per_held_session", rssPerSessionBytes);
            g.writeNumberField("tool_cpu_seconds", toolCpuSeconds);
            g.writeNumberField(
                    "tool_cpu_us_per_chunk", Double.isNaN(toolCpuMicrosPerChunk) ? -1 : toolCpuMicrosPerChunk);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeMap(JsonGenerator g, String name, Map<String, Integer> map) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Integer> e : map.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeLatency(JsonGenerator g, String name, LatencyStats.Summary s) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("count", s.count());
        g.writeNumberField("p50", s.p50() / 1000.0);
        g.writeNumberField("p95", s.p95() / 1000.0);
        g.writeNumberField("p99", s.p99() / 1000.0);
        g.writeNumberField("max", s.max() / 1000.0);
        g.writeEndObject();
    }
}

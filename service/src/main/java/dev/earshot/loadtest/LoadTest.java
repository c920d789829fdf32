package dev.earshot.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.earshot.audio.AudioFormatException;
import dev.earshot.audio.WavHeader;

/**
 * {@code earshot loadtest}: opens N protocol-v1 sessions at a ramp rate, each on a virtual
 * thread, streams 100 ms chunks paced in real time (or as fast as possible), ends each with
 * {@code stop_transcription}, and reports sessions established and refused, per-chunk result
 * latency, stop latency, errors, message rate, and the gateway's CPU per chunk and memory (read
 * from its metrics). In {@code --hold} mode the sessions only send keepalives, to measure idle
 * capacity and memory per session. Aim it at a gateway with {@code asr.engine=synthetic}, whose
 * answer to chunk N names N.
 */
public final class LoadTest {
    /** Sessions per HTTP client: each client has its own selector thread. */
    private static final int SESSIONS_PER_CLIENT = 20;
    private static final int CHUNK_BYTES = 3200;   // 100 ms of 16 kHz 16-bit mono

    private LoadTest() {
    }

    public static int main(String[] args, PrintStream out) throws Exception {
        LoadTestOptions options;
        try {
            options = LoadTestOptions.parse(args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return 2;
        }
        LoadReport report = run(options, out);
        out.print(report.table());
        if (options.json().isPresent()) {
            if (options.json().get().equals("-")) {
                out.println(report.json());
            } else {
                Files.writeString(Path.of(options.json().get()), report.json());
            }
        }
        return report.established() == options.sessions() && report.missingResults() == 0
                && report.completed() == options.sessions() ? 0 : 1;
    }

    /** Runs a load test and returns its report. */
    public static LoadReport run(LoadTestOptions options, PrintStream out) throws Exception {
        byte[][] audio = audio(options);
        int chunks = options.seconds() * 10;
        LoadStats stats = new LoadStats();
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < (options.sessions() + SESSIONS_PER_CLIENT - 1) / SESSIONS_PER_CLIENT; i++) {
            clients.add(HttpClient.newHttpClient());
        }
        HttpClient metricsClient = HttpClient.newHttpClient();
        ServerCounters before = ServerCounters.read(metricsClient, options.url());
        long start = System.nanoTime();
        long holdNanos = options.hold() ? TimeUnit.SECONDS.toNanos(options.seconds()) : 0;
        ServerCounters[] whileHeld = new ServerCounters[1];

        Thread progress = Thread.ofVirtual().start(() -> progress(options, stats, start, out, whileHeld, metricsClient));
        try (ExecutorService sessions = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < options.sessions(); i++) {
                long openAt = start + (long) (i * 1e9 / options.rampPerSecond());
                HttpClient http = clients.get(i % clients.size());
                String id = "load-" + Long.toHexString(start) + "-" + i;
                sessions.submit(() -> {
                    new Pacer(openAt, 0).awaitChunk(0);
                    SessionDriver driver = new SessionDriver(id, options.hold() ? 0 : chunks, stats);
                    Pacer pacer = new Pacer(System.nanoTime(), options.realtime() ? 100_000_000L : 0);
                    driver.run(http, options.url(), audio, pacer, holdNanos);
                    return null;
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.interrupt();
        progress.join();
        ServerCounters after = ServerCounters.read(metricsClient, options.url());
        clients.forEach(HttpClient::close);
        metricsClient.close();

        double cpu = after.cpuSeconds() - before.cpuSeconds();
        long sent = stats.chunksSent.sum();
        ServerCounters held = whileHeld[0] == null ? after : whileHeld[0];
        double rssPerSession = options.hold() && stats.established.get() > 0
                ? (double) (held.rssBytes() - before.rssBytes()) / stats.established.get() : 0;
        return new LoadReport(options, stats.established.get(), stats.completed.get(), LoadStats.snapshot(stats.refused),
                              LoadStats.snapshot(stats.errors), stats.sessionsMissingResults.get(), sent,
                              stats.messagesReceived.sum(), seconds, stats.chunkLatency.summary(),
                              stats.stopLatency.summary(), sent == 0 ? Double.NaN : cpu * 1e6 / sent, cpu,
                              rssPerSession, held.rssBytes());
    }

    /** One line a second; in hold mode, also reads the gateway's memory once every session is open. */
    private static void progress(LoadTestOptions options, LoadStats stats, long start, PrintStream out,
                                 ServerCounters[] whileHeld, HttpClient metrics) {
        long lastMessages = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(1000);
                long messages = stats.messagesReceived.sum();
                if (options.hold() && whileHeld[0] == null && stats.established.get() > 0
                        && stats.active.get() == stats.established.get()
                        && stats.established.get() + refusedTotal(stats) == options.sessions()) {
                    Thread.sleep(2000);       // let the gateway settle
                    whileHeld[0] = ServerCounters.read(metrics, options.url());
                }
                if (!options.quiet()) {
                    LatencyStats.Summary s = stats.chunkLatency.summary();
                    out.printf(Locale.ROOT, "\r%5.0fs  active %6d  established %6d  refused %5d  msgs/s %7d  p99 %6.1f ms ",
                               (System.nanoTime() - start) / 1e9, stats.active.get(), stats.established.get(),
                               refusedTotal(stats), messages - lastMessages, s.p99() / 1000.0);
                    out.flush();
                }
                lastMessages = messages;
            }
        } catch (InterruptedException e) {
            // the run is over
        }
    }

    private static int refusedTotal(LoadStats stats) {
        return stats.refused.values().stream().mapToInt(java.util.concurrent.atomic.AtomicInteger::get).sum();
    }

    /** The audio to send, as 100 ms chunks: the WAV's samples (looped), or silence. */
    static byte[][] audio(LoadTestOptions options) throws IOException {
        if (options.wav().isEmpty()) {
            return new byte[][]{new byte[CHUNK_BYTES]};
        }
        byte[] wav = Files.readAllBytes(options.wav().get());
        int offset;
        try {
            offset = WavHeader.parse(wav).dataOffset();
        } catch (AudioFormatException e) {
            throw new IOException(options.wav().get() + ": " + e.getMessage(), e);
        }
        int n = Math.max(1, (wav.length - offset) / CHUNK_BYTES);
        byte[][] chunks = new byte[n][];
        for (int i = 0; i < n; i++) {
            chunks[i] = java.util.Arrays.copyOfRange(wav, offset + i * CHUNK_BYTES, offset + (i + 1) * CHUNK_BYTES);
        }
        return chunks;
    }
}

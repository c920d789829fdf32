package dev.earshot.loadtest;

import com.sun.management.OperatingSystemMXBean;
import dev.earshot.audio.AudioFormatException;
import dev.earshot.audio.WavHeader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code earshot-tools loadtest}: opens N protocol-v1 sessions at a ramp rate, streams 100 ms chunks
 * paced in real time (or as fast as possible), ends each with {@code stop_transcription}, and
 * reports sessions established and refused, per-chunk result latency, stop latency, errors,
 * message rate, its own send lag and CPU, and the gateway's CPU per chunk and memory (read from
 * its metrics). In {@code --hold} mode the sessions only send keepalives, to measure idle capacity
 * and memory per session. Aim it at a gateway with {@code asr.engine=synthetic}, whose answer to
 * chunk N names N.
 *
 * <p>The sessions run on a few {@link EventLoop}s (a selector thread each) speaking RFC 6455
 * themselves: the tool shares the machine with the gateway it measures, so it must cost a small
 * fraction of the gateway's CPU per chunk, which a thread and a JDK WebSocket per session do not.
 */
public final class LoadTest {
    private static final int CHUNK_BYTES = 3200; // 100 ms of 16 kHz 16-bit mono

    private LoadTest() {}

    public static int main(String[] args, PrintStream out) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(LoadTestOptions.USAGE);
            return 0;
        }
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
        return report.established() == options.sessions()
                        && report.missingResults() == 0
                        && report.completed() == options.sessions()
                ? 0
                : 1;
    }

    /** Runs a load test and returns its report. */
    public static LoadReport run(LoadTestOptions options, PrintStream out) throws Exception {
        return run(options, out, Timeouts.DEFAULT);
    }

    static LoadReport run(LoadTestOptions options, PrintStream out, Timeouts timeouts) throws Exception {
        byte[][] audio = audio(options);
        URI url = options.url();
        int port = url.getPort() < 0 ? 80 : url.getPort();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "" : url.getRawPath();
        Connection.Plan plan = new Connection.Plan(
                new InetSocketAddress(url.getHost(), port),
                url.getRawAuthority(),
                path.endsWith("/") ? path.substring(0, path.length() - 1) : path,
                options.hold() ? 0 : options.seconds() * 10,
                options.hold() ? TimeUnit.SECONDS.toNanos(options.seconds()) : 0,
                options.realtime() ? 100_000_000L : 0,
                timeouts);
        LoadStats stats = new LoadStats();
        SplittableRandom seeds = new SplittableRandom(new SecureRandom().nextLong());
        List<EventLoop> loops = new ArrayList<>();
        for (int i = 0; i < options.loops(); i++) {
            SplittableRandom random = seeds.split();
            loops.add(new EventLoop("loadtest-loop-" + i, new LoopFrames(audio, random.nextInt()), random));
        }

        HttpClient metricsClient = HttpClient.newHttpClient();
        ServerCounters before = ServerCounters.read(metricsClient, options.metrics());
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        String run = Long.toHexString(start);
        for (int i = 0; i < options.sessions(); i++) {
            EventLoop loop = loops.get(i % loops.size());
            long openAt = start + (long) (i * 1e9 / options.rampPerSecond());
            loop.add(new Connection(loop, plan, "load-" + run + "-" + i, openAt, stats));
        }
        ServerCounters[] whileHeld = new ServerCounters[1];
        Thread progress =
                Thread.ofVirtual().start(() -> progress(options, stats, start, out, whileHeld, metricsClient));
        loops.forEach(EventLoop::start);
        for (EventLoop loop : loops) {
            loop.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double toolCpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
        progress.interrupt();
        progress.join();
        ServerCounters after = ServerCounters.read(metricsClient, options.metrics());
        metricsClient.close();

        double cpu = after.cpuSeconds() - before.cpuSeconds();
        long sent = stats.chunksSent.sum();
        ServerCounters held = whileHeld[0] == null ? after : whileHeld[0];
        double rssPerSession = options.hold() && stats.established.get() > 0
                ? (double) (held.rssBytes() - before.rssBytes()) / stats.established.get()
                : 0;
        return new LoadReport(
                options,
                stats.established.get(),
                stats.completed.get(),
                LoadStats.snapshot(stats.refused),
                LoadStats.snapshot(stats.errors),
                stats.sessionsMissingResults.get(),
                sent,
                stats.messagesReceived.sum(),
                seconds,
                stats.chunkLatency.summary(),
                stats.stopLatency.summary(),
                stats.sendLag.summary(),
                sent == 0 ? Double.NaN : cpu * 1e6 / sent,
                cpu,
                rssPerSession,
                held.rssBytes(),
                toolCpu,
                sent == 0 ? Double.NaN : toolCpu * 1e6 / sent);
    }

    /**
     * One line a second, with the last second's p99 latency and send lag; in hold mode, also reads
     * the gateway's memory once every session is open.
     */
    private static void progress(
            LoadTestOptions options,
            LoadStats stats,
            long start,
            PrintStream out,
            ServerCounters[] whileHeld,
            HttpClient metrics) {
        long lastMessages = 0;
        int lastLatency = 0;
        int lastLag = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(1000);
                long messages = stats.messagesReceived.sum();
                if (options.hold()
                        && whileHeld[0] == null
                        && stats.established.get() > 0
                        && stats.active.get() == stats.established.get()
                        && stats.decided.get() == options.sessions()) {
                    Thread.sleep(2000); // let the gateway settle
                    whileHeld[0] = ServerCounters.read(metrics, options.metrics());
                }
                if (!options.quiet()) {
                    LatencyStats.Summary latency = stats.chunkLatency.summary(lastLatency);
                    LatencyStats.Summary lag = stats.sendLag.summary(lastLag);
                    lastLatency += latency.count();
                    lastLag += lag.count();
                    out.printf(
                            Locale.ROOT,
                            "\r%5.0fs  active %6d  established %6d  refused %5d  errors %5d  msgs/s %7d"
                                    + "  p99 %6.1f ms  lag p99 %5.1f ms ",
                            (System.nanoTime() - start) / 1e9,
                            stats.active.get(),
                            stats.established.get(),
                            stats.refusedTotal(),
                            stats.errorsTotal(),
                            messages - lastMessages,
                            latency.p99() / 1000.0,
                            lag.p99() / 1000.0);
                    out.flush();
                }
                lastMessages = messages;
            }
        } catch (InterruptedException e) {
            // the run is over
        }
        if (!options.quiet()) {
            out.println();
        }
    }

    /** The audio to send, as 100 ms chunks: the WAV's samples (looped), or silence. */
    static byte[][] audio(LoadTestOptions options) throws IOException {
        if (options.wav().isEmpty()) {
            return new byte[][] {new byte[CHUNK_BYTES]};
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

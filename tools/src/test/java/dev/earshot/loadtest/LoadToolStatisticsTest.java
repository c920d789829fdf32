package dev.earshot.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load tool's own arithmetic: percentiles and options. */
class LoadToolStatisticsTest {

    @Test
    void percentilesUseTheNearestRank() {
        LatencyStats stats = new LatencyStats();
        for (int i = 100; i >= 1; i--) {
            stats.record(i * 1000L);
        }
        LatencyStats.Summary s = stats.summary();
        assertEquals(100, s.count());
        assertEquals(50_000, s.p50());
        assertEquals(95_000, s.p95());
        assertEquals(99_000, s.p99());
        assertEquals(100_000, s.max());
        assertEquals(new LatencyStats.Summary(0, 0, 0, 0, 0), new LatencyStats().summary());
        assertEquals(7, LatencyStats.percentile(new long[] {7}, 99));
    }

    @Test
    void recordingFromManyThreadsLosesNothing() throws Exception {
        LatencyStats stats = new LatencyStats();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    stats.record(i);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(80_000, stats.count());
    }

    @Test
    void recentSummariesCoverOnlyTheNewValues() {
        LatencyStats stats = new LatencyStats();
        for (int i = 1; i <= 10; i++) {
            stats.record(i);
        }
        LatencyStats.Summary recent = stats.summary(8);
        assertEquals(2, recent.count());
        assertEquals(10, recent.max());
        assertEquals(9, recent.p50());
        assertEquals(0, stats.summary(10).count());
        assertEquals(10, stats.summary(-3).count());
    }

    @Test
    void optionsParseAndRejectNonsense() {
        LoadTestOptions o = LoadTestOptions.parse(new String[] {
            "--sessions",
            "2400",
            "--ramp",
            "400",
            "--seconds",
            "60",
            "--url",
            "ws://h:1/api/v1/transcribe",
            "--json",
            "-"
        });
        assertEquals(2400, o.sessions());
        assertEquals(URI.create("http://h:9090/observe/metrics"), o.metrics(), "the admin port of --url's host");
        assertEquals(400, o.rampPerSecond());
        assertEquals(60, o.seconds());
        assertTrue(o.realtime());
        assertEquals("-", o.json().orElseThrow());
        assertTrue(LoadTestOptions.parse(new String[] {"--hold", "--fast"}).hold());
        assertThrows(IllegalArgumentException.class, () -> LoadTestOptions.parse(new String[] {"--sessions", "0"}));
        assertThrows(IllegalArgumentException.class, () -> LoadTestOptions.parse(new String[] {"--bogus"}));
        assertEquals(1, o.loops());
        assertEquals(3, LoadTestOptions.parse(new String[] {"--loops", "3"}).loops());
        assertThrows(IllegalArgumentException.class, () -> LoadTestOptions.parse(new String[] {"--loops", "0"}));
        assertThrows(
                IllegalArgumentException.class,
                () -> LoadTestOptions.parse(new String[] {"--url", "wss://h/api/v1/transcribe"}));
    }
}

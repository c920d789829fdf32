package dev.earshot.loadtest;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load tool's own arithmetic: percentiles, pacing, options, event scanning. */
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
        assertEquals(7, LatencyStats.percentile(new long[]{7}, 99));
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
    void chunksAreDueOnAFixedScheduleThatDoesNotDrift() throws Exception {
        Pacer pacer = new Pacer(1_000_000_000L, 100_000_000L);
        assertEquals(1_000_000_000L, pacer.due(0));
        assertEquals(1_500_000_000L, pacer.due(5));
        assertEquals(61_000_000_000L, pacer.due(600));

        long start = System.nanoTime();
        Pacer live = new Pacer(start, 20_000_000L);
        for (int n = 0; n < 5; n++) {
            live.awaitChunk(n);
            assertTrue(System.nanoTime() >= live.due(n), "never early");
        }
        Pacer fast = new Pacer(System.nanoTime(), 0);
        fast.awaitChunk(1_000_000);                  // as fast as possible: never waits
    }

    @Test
    void optionsParseAndRejectNonsense() {
        LoadTestOptions o = LoadTestOptions.parse(new String[]{"--sessions", "2400", "--ramp", "400", "--seconds",
                "60", "--url", "ws://h:1/api/v1/transcribe", "--json", "-"});
        assertEquals(2400, o.sessions());
        assertEquals(400, o.rampPerSecond());
        assertEquals(60, o.seconds());
        assertTrue(o.realtime());
        assertEquals("-", o.json().orElseThrow());
        assertTrue(LoadTestOptions.parse(new String[]{"--hold", "--fast"}).hold());
        assertThrows(IllegalArgumentException.class, () -> LoadTestOptions.parse(new String[]{"--sessions", "0"}));
        assertThrows(IllegalArgumentException.class, () -> LoadTestOptions.parse(new String[]{"--bogus"}));
    }

    @Test
    void eventsAreScannedWithoutParsing() {
        String event = "{\"event\":\"transcript\",\"session_id\":\"s\",\"is_final\":false,\"stability\":0.5,"
                + "\"alternatives\":[{\"transcript\":\"chunk 42\",\"confidence\":0.0,\"words\":[]}]}";
        assertEquals("transcript", SessionDriver.field(event, "\"event\":\""));
        assertEquals(42, SessionDriver.parseInt(event, event.indexOf("chunk ") + 6));
        assertEquals("", SessionDriver.field(event, "\"code\":\""));
    }
}

package dev.earshot.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A short load run inside the test suite, asserting correctness only — every session started,
 * every chunk answered, every stop acknowledged. The performance figures come from the benchmark
 * command (docs/performance.md), never from timed assertions.
 */
class LoadTestSmokeTest {

    /** A quiet, real-time run against a gateway. */
    static LoadReport run(GatewayServer gateway, int sessions, int ramp, int seconds, boolean hold) throws Exception {
        return run(gateway, "/api/v1/transcribe", sessions, ramp, seconds, true, hold, 1);
    }

    static LoadReport run(
            GatewayServer gateway,
            String path,
            int sessions,
            int ramp,
            int seconds,
            boolean realtime,
            boolean hold,
            int loops)
            throws Exception {
        LoadTestOptions options = new LoadTestOptions(
                URI.create("ws://127.0.0.1:" + gateway.port() + path),
                LoadTestOptions.adminMetrics(URI.create("ws://127.0.0.1"), gateway.adminPort()),
                sessions,
                ramp,
                seconds,
                realtime,
                hold,
                loops,
                Optional.empty(),
                Optional.empty(),
                true);
        return LoadTest.run(options, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void threeHundredRealtimeSessionsAllCompleteWithEveryChunkAnswered() throws Exception {
        try (GatewayServer gateway = TestGateways.synthetic(TestConfigs.sessionsMax(1000))) {
            LoadReport report = run(gateway, 300, 300, 3, false);
            assertEquals(300, report.established(), report.table());
            assertEquals(300, report.completed(), report.table());
            assertEquals(Map.of(), report.refused(), report.table());
            assertEquals(Map.of(), report.errors(), report.table());
            assertEquals(0, report.missingResults(), report.table());
            assertEquals(300 * 30, report.chunks());
            assertEquals(300 * 30, report.chunkLatency().count(), "one answer per chunk");
            assertEquals(300, report.stopLatency().count(), "every stop acknowledged");
            assertTrue(report.cpuMicrosPerChunk() > 0, "the gateway's CPU was read from its metrics");
            assertEquals(300 * 30, report.sendLag().count(), "the send lag of every chunk");
            assertTrue(report.toolCpuSeconds() > 0, report.table());
            assertTrue(report.json().contains("\"established\" : 300"), report.json());
        }
    }

    @Test
    void holdModeKeepsSessionsOpenWithKeepalivesAndMeasuresMemory() throws Exception {
        try (GatewayServer gateway = TestGateways.synthetic(TestConfigs.sessionsMax(1000))) {
            LoadReport report = run(gateway, 200, 400, 4, true);
            assertEquals(200, report.established(), report.table());
            assertEquals(200, report.completed(), report.table());
            assertEquals(Map.of(), report.errors(), report.table());
            assertTrue(report.serverRssBytes() > 0, report.table());
        }
    }

    @Test
    void sessionsOverTheGatewayLimitAreReportedAsRefused() throws Exception {
        try (GatewayServer gateway = TestGateways.synthetic(TestConfigs.sessionsMax(20))) {
            LoadReport report = run(gateway, 30, 1000, 2, true);
            assertEquals(20, report.established(), report.table());
            assertEquals(Map.of("capacity_exceeded", 10), report.refused(), report.table());
        }
    }

    @Test
    void fastModeOnTwoLoopsAnswersEveryChunk() throws Exception {
        try (GatewayServer gateway = TestGateways.synthetic(TestConfigs.sessionsMax(1000))) {
            LoadReport report = run(gateway, "/api/v1/transcribe", 40, 1000, 3, false, false, 2);
            assertEquals(40, report.completed(), report.table());
            assertEquals(Map.of(), report.errors(), report.table());
            assertEquals(0, report.missingResults(), report.table());
            assertEquals(40 * 30, report.chunkLatency().count());
            assertEquals(0, report.sendLag().count(), "no schedule, no lag");
        }
    }

    @Test
    void handshakesTheGatewayRefusesAreCountedByHttpStatus() throws Exception {
        try (GatewayServer gateway = TestGateways.synthetic(TestConfigs.sessionsMax(1000))) {
            LoadReport report = run(gateway, "/api/v1/no-such-endpoint", 5, 1000, 1, true, false, 1);
            assertEquals(Map.of("http_404", 5), report.refused(), report.table());
            assertEquals(0, report.established(), report.table());
        }
    }
}

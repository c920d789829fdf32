package dev.earshot.loadtest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.TestGateways;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short load run inside the test suite, asserting correctness only — every session started,
 * every chunk answered, every stop acknowledged. The performance figures come from the benchmark
 * command (docs/performance.md), never from timed assertions.
 */
class LoadTestSmokeTest {

    @Test
    void threeHundredRealtimeSessionsAllCompleteWithEveryChunkAnswered() throws Exception {
        try (GatewayServer gateway = TestGateways.synthetic(SessionSettings.defaults().withMax(1000))) {
            LoadTestOptions options = new LoadTestOptions(
                    URI.create("ws://127.0.0.1:" + gateway.port() + "/api/v1/transcribe"), 300, 300, 3, true, false,
                    Optional.empty(), Optional.empty(), true);
            LoadReport report = LoadTest.run(options, new PrintStream(new ByteArrayOutputStream()));
            assertEquals(300, report.established(), report.table());
            assertEquals(300, report.completed(), report.table());
            assertEquals(Map.of(), report.refused(), report.table());
            assertEquals(Map.of(), report.errors(), report.table());
            assertEquals(0, report.missingResults(), report.table());
            assertEquals(300 * 30, report.chunks());
            assertEquals(300 * 30, report.chunkLatency().count(), "one answer per chunk");
            assertEquals(300, report.stopLatency().count(), "every stop acknowledged");
            assertTrue(report.cpuMicrosPerChunk() > 0, "the gateway's CPU was read from its metrics");
            assertTrue(report.json().contains("\"established\" : 300"), report.json());
        }
    }

    @Test
    void holdModeKeepsSessionsOpenWithKeepalivesAndMeasuresMemory() throws Exception {
        try (GatewayServer gateway = TestGateways.synthetic(SessionSettings.defaults().withMax(1000))) {
            LoadTestOptions options = new LoadTestOptions(
                    URI.create("ws://127.0.0.1:" + gateway.port() + "/api/v1/transcribe"), 200, 400, 4, true, true,
                    Optional.empty(), Optional.empty(), true);
            LoadReport report = LoadTest.run(options, new PrintStream(new ByteArrayOutputStream()));
            assertEquals(200, report.established(), report.table());
            assertEquals(200, report.completed(), report.table());
            assertEquals(Map.of(), report.errors(), report.table());
            assertTrue(report.serverRssBytes() > 0, report.table());
        }
    }

    @Test
    void sessionsOverTheGatewayLimitAreReportedAsRefused() throws Exception {
        try (GatewayServer gateway = TestGateways.synthetic(SessionSettings.defaults().withMax(20))) {
            LoadTestOptions options = new LoadTestOptions(
                    URI.create("ws://127.0.0.1:" + gateway.port() + "/api/v1/transcribe"), 30, 1000, 2, true, true,
                    Optional.empty(), Optional.empty(), true);
            LoadReport report = LoadTest.run(options, new PrintStream(new ByteArrayOutputStream()));
            assertEquals(20, report.established(), report.table());
            assertEquals(Map.of("capacity_exceeded", 10), report.refused(), report.table());
        }
    }
}

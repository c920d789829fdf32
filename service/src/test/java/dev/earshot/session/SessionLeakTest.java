package dev.earshot.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.earshot.asr.AsrConfig;
import dev.earshot.asr.AsrServer;
import dev.earshot.asr.engine.RecognitionEngine;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A thousand sessions abandoned in every way a client can abandon one; afterwards nothing is
 * left: no registered session, no open Riva stream, no session thread. Once with the embedded
 * recognizer (answers on the socket's thread), once with a Riva over the network (answers on
 * gRPC's event loop, written by each stream's own thread).
 */
class SessionLeakTest {
    static final byte[] CHUNK = new byte[3200];
    static final int SESSIONS = 1000;

    @Test
    void thousandAbandonedSessionsLeaveNoSessionNoStreamAndNoThread() throws Exception {
        try (GatewayServer gateway = TestGateways.synthetic(TestConfigs.sessionsMax(SESSIONS))) {
            abandonAllAndCheck(gateway, gateway.asr().engine());
        }
    }

    /** The same behind a Riva reached over the network, whose answers arrive on gRPC's event loop. */
    @Test
    void thousandAbandonedSessionsBehindANetworkRivaLeaveNothingEither() throws Exception {
        try (AsrServer riva = AsrServer.start(new AsrConfig(0, AsrConfig.SYNTHETIC, 1, 1 << 20, ""));
                GatewayServer gateway = TestGateways.toRiva(
                        TestConfigs.sessionsMax(SESSIONS), TestConfigs.riva("127.0.0.1:" + riva.port()))) {
            abandonAllAndCheck(gateway, riva.engine());
        }
    }

    private static void abandonAllAndCheck(GatewayServer gateway, RecognitionEngine engine) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(50);
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            int n = i;
            runs.add(clients.submit(() -> {
                abandon(gateway.port(), n);
                return null;
            }));
        }
        for (Future<?> f : runs) {
            f.get();
        }
        clients.shutdown();
        await("every abandoned session is cleaned up")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    assertEquals(0, TestGateways.activeSessions(gateway), "registered sessions");
                    assertEquals(0, engine.activeStreams(), "open Riva streams");
                    assertEquals(0, sessionThreads(), "session threads");
                });
    }

    /** Opens a session and leaves it one of six ways. */
    static void abandon(int port, int n) throws Exception {
        WsTestClient ws = WsTestClient.connect(port, "leak-" + n);
        switch (n % 6) {
            case 0 -> ws.close(); // close before start
            case 1 -> { // close mid-stream
                ws.start(null).next();
                ws.sendBinary(CHUNK).until("transcript");
                ws.close();
            }
            case 2 -> { // drop the connection mid-stream
                ws.start(null).next();
                ws.sendBinary(CHUNK);
                ws.abort();
            }
            case 3 -> { // a normal stop
                ws.start(null).next();
                ws.sendBinary(CHUNK).stop();
                ws.until("transcription_stopped");
                assertEquals(1000, ws.closeCode());
            }
            case 4 -> { // an error that ends the session
                ws.start(null).next();
                ws.sendBinary(new byte[1024 * 1024 + 1]);
                assertEquals(1009, ws.closeCode());
            }
            default -> { // a protocol error, then drop
                ws.send("{\"type\":\"nope\"}").next();
                ws.abort();
            }
        }
    }

    /** Live session threads, virtual ones included (a JSON thread dump lists those; getAllStackTraces does not). */
    static long sessionThreads() throws Exception {
        java.nio.file.Path dump =
                java.nio.file.Files.createTempDirectory("threads").resolve("dump.json");
        java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .dumpThreads(dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        String json = java.nio.file.Files.readString(dump);
        java.nio.file.Files.delete(dump);
        return java.util.regex.Pattern.compile("\"name\": \"session-")
                .matcher(json)
                .results()
                .count();
    }
}

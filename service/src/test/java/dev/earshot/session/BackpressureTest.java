package dev.earshot.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.asr.grpc.RivaAsrService;
import dev.earshot.asr.synthetic.SyntheticEngine;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.riva.RetryPolicy;
import dev.earshot.riva.RivaConfig;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A Riva slower than the client: the session holds at most {@code sessions.buffer-seconds} and
 * then stops reading its socket, so a client sending a file as fast as it can is slowed down and
 * loses nothing; only a client that streams in real time (and cannot be slowed) ends
 * {@code overloaded} once Riva is {@code sessions.max-lag} behind, and a Riva that takes nothing
 * at all for {@code riva.response-timeout} counts as failed (the stream is replaced; when every
 * new one stalls too, the session ends once {@code riva.retry.max-attempts} are spent:
 * {@code RecoveryTest} has the stall a new stream recovers from).
 *
 * <p>The Riva here is Earshot's own gRPC service on the synthetic engine (chunk N is answered
 * "chunk N"), behind a 64 KB HTTP/2 window (2 s of audio) and an interceptor that makes it take
 * each message slowly, or stop taking them.
 */
class BackpressureTest {
    private static final byte[] CHUNK = new byte[3200]; // 100 ms of 16 kHz 16-bit audio

    /** A Riva that sleeps {@code delayMillis} per message, and stops taking any after {@code stallAfter} until released. */
    private static Server slowRiva(long delayMillis, int stallAfter, CountDownLatch release) throws Exception {
        AtomicInteger messages = new AtomicInteger();
        ServerInterceptor slow = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                        next.startCall(call, headers)) {
                    @Override
                    public void onMessage(Q message) {
                        try {
                            if (messages.incrementAndGet() > stallAfter) {
                                release.await();
                            }
                            Thread.sleep(delayMillis);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        super.onMessage(message);
                    }
                };
            }
        };
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new RivaAsrService(new SyntheticEngine(), 1 << 20))
                .intercept(slow)
                .flowControlWindow(64 * 1024)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build()
                .start();
    }

    private static RivaConfig riva(Server server, Duration responseTimeout) {
        return new RivaConfig(
                "127.0.0.1:" + server.getPort(),
                false,
                Optional.empty(),
                "",
                "",
                Duration.ofSeconds(120),
                Duration.ofSeconds(1),
                responseTimeout,
                RivaConfig.DEFAULT_KEEPALIVE_TIME,
                RivaConfig.PICK_FIRST);
    }

    private static SessionSettings oneSecondBuffer(Duration maxLag) {
        return TestConfigs.sessionsMax(10).withBuffer(1, maxLag);
    }

    @Test
    void aFileSentAsFastAsPossibleIsSlowedDownAndTranscribedWhole() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Server riva = slowRiva(2, Integer.MAX_VALUE, never);
        try (GatewayServer gateway = TestGateways.toRiva(
                        oneSecondBuffer(Duration.ofSeconds(30)), riva(riva, Duration.ofSeconds(15)));
                WsTestClient ws = WsTestClient.connect(gateway.port(), "fast-file-1")) {
            ws.start(null).next();
            for (int i = 0; i < 300; i++) { // 30 s of audio, 15 times what the session may hold
                ws.sendBinary(CHUNK);
            }
            ws.stop();
            List<JsonNode> events = ws.drainUntilClosed();
            assertEquals(1000, ws.closeCode(), events.toString());
            assertEquals(
                    "transcription_stopped",
                    events.getLast().path("event").asText(),
                    events.getLast().toString());
            assertTrue(
                    events.stream()
                            .filter(e -> e.path("event").asText().equals("transcript"))
                            .anyMatch(e -> e.path("alternatives")
                                    .get(0)
                                    .path("transcript")
                                    .asText()
                                    .equals("chunk 300")),
                    "the last chunk was not transcribed: audio was lost");
            assertTrue(events.stream().noneMatch(e -> e.path("event").asText().equals("error")), events.toString());
        } finally {
            riva.shutdownNow();
        }
    }

    @Test
    void aRealTimeClientEndsOverloadedOnceRivaIsMaxLagBehind() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Server riva = slowRiva(0, 3, release);
        try (GatewayServer gateway = TestGateways.toRiva(
                        oneSecondBuffer(Duration.ofSeconds(2)), riva(riva, Duration.ofSeconds(60)));
                WsTestClient ws = WsTestClient.connect(gateway.port(), "real-time-1")) {
            ws.start(null).next();
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 300 && !ws.closed(); i++) {
                        ws.sendBinary(CHUNK);
                        Thread.sleep(100); // real time
                    }
                } catch (Exception e) {
                    // the session ended under it
                }
            });
            JsonNode error = ws.until("error");
            assertEquals("overloaded", error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().contains("PT2S"), error.toString());
            assertEquals(1013, ws.closeCode());
            sender.join(Duration.ofSeconds(30));
        } finally {
            release.countDown();
            riva.shutdownNow();
        }
    }

    @Test
    void aRivaWhoseEveryStreamTakesNoAudioEndsTheSessionOnceTheRetriesAreSpent() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Server riva = slowRiva(0, 3, release); // every stream, new ones too, stalls after the third message
        try (GatewayServer gateway = TestGateways.toRiva(
                        oneSecondBuffer(Duration.ZERO),
                        riva(riva, Duration.ofSeconds(2)).withRetry(new RetryPolicy(2)));
                WsTestClient ws = WsTestClient.connect(gateway.port(), "stalled-riva-1")) {
            ws.start(null).next();
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 3000 && !ws.closed(); i++) {
                        ws.sendBinary(CHUNK); // as fast as it can
                    }
                } catch (Exception e) {
                    // the session ended under it
                }
            });
            JsonNode error = ws.until("error");
            assertEquals("backend_unavailable", error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().contains("took no audio"), error.toString());
            assertEquals(1011, ws.closeCode());
            sender.join(TimeUnit.SECONDS.toMillis(30));
        } finally {
            release.countDown();
            riva.shutdownNow();
        }
    }
}

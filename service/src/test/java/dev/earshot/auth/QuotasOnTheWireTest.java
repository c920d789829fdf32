package dev.earshot.auth;

import static dev.earshot.auth.AuthTestSupport.request;
import static dev.earshot.auth.AuthTestSupport.sessionWithHeader;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.MovableClock;
import dev.earshot.testing.RawHttp;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-principal quotas on real sockets: 429 with Retry-After, and the recovery. */
class QuotasOnTheWireTest {
    static final String ALICE = KeysCommand.newKey();
    static final String BOB = KeysCommand.newKey();

    @TempDir
    Path dir;

    @Test
    void aPrincipalAtItsConcurrentLimitGets429UntilOneOfItsSessionsEnds() throws Exception {
        Path keys = AuthTestSupport.keysFile(dir, "alice", ALICE, "bob", BOB);
        try (GatewayServer gateway =
                TestGateways.withAuth(AuthTestSupport.apiKeys(keys, Duration.ofMinutes(5), 1, 0), new MovableClock())) {
            WsTestClient first = sessionWithHeader(gateway.port(), "alice-1", ALICE);
            RawHttp.Answer second =
                    RawHttp.upgrade(gateway.port(), "/api/v1/transcribe/alice-2", "Authorization: Bearer " + ALICE);
            assertEquals(429, second.status(), second.head());
            assertEquals(
                    String.valueOf(Quotas.CONCURRENT_RETRY_SECONDS),
                    second.headers().get("retry-after"));
            assertEquals(
                    429,
                    request(gateway.port(), "POST", "/api/v1/transcriptions", ALICE, "x")
                            .statusCode(),
                    "REST transcriptions count too");
            sessionWithHeader(gateway.port(), "bob-1", BOB).close(); // another principal is not held up

            first.stop().until("transcription_stopped");
            first.close();
            await("alice's slot is free again")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> RawHttp.upgrade(
                                            gateway.port(),
                                            "/api/v1/transcribe/alice-3",
                                            "Authorization: Bearer " + ALICE)
                                    .status()
                            == 101);
        }
    }

    @Test
    void startsPerMinuteAreATokenBucketThatRefills() throws Exception {
        Path keys = AuthTestSupport.keysFile(dir, "alice", ALICE);
        MovableClock clock = new MovableClock();
        try (GatewayServer gateway =
                TestGateways.withAuth(AuthTestSupport.apiKeys(keys, Duration.ofMinutes(5), 0, 2), clock)) {
            sessionWithHeader(gateway.port(), "burst-1", ALICE).close();
            sessionWithHeader(gateway.port(), "burst-2", ALICE).close();
            RawHttp.Answer third =
                    RawHttp.upgrade(gateway.port(), "/api/v1/transcribe/burst-3", "Authorization: Bearer " + ALICE);
            assertEquals(429, third.status(), third.head());
            long retryAfter = Long.parseLong(third.headers().get("retry-after"));
            assertEquals(30, retryAfter, 1, "one start every 30 s at 2 a minute");

            clock.advance(Duration.ofSeconds(retryAfter));
            sessionWithHeader(gateway.port(), "after-refill", ALICE).close();
            assertEquals(
                    429,
                    RawHttp.upgrade(gateway.port(), "/api/v1/transcribe/burst-4", "Authorization: Bearer " + ALICE)
                            .status(),
                    "one start came back, not two");
        }
    }
}

package dev.earshot.auth;

import static dev.earshot.auth.AuthTestSupport.JSON;
import static dev.earshot.auth.AuthTestSupport.request;
import static dev.earshot.auth.AuthTestSupport.sessionWithHeader;
import static dev.earshot.auth.AuthTestSupport.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.LogCapture;
import dev.earshot.testing.MovableClock;
import dev.earshot.testing.RawHttp;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth.mode=api-key} on real sockets: every credential form on the WebSocket upgrade and
 * REST, every wrong one refused with its status, tokens, the keys file reloaded, and no credential
 * in any log line of the whole class.
 */
class ApiKeysOnTheWireTest {
    static final String ALICE = KeysCommand.newKey();
    static final String BOB = KeysCommand.newKey();
    static final List<String> SECRETS = new ArrayList<>(List.of(ALICE, BOB));

    @TempDir
    static Path dir;

    static Path keys;
    static GatewayServer gateway;
    static LogCapture log;

    @BeforeAll
    static void start() throws Exception {
        log = new LogCapture();
        keys = AuthTestSupport.keysFile(dir, "alice", ALICE, "bob", BOB);
        gateway = TestGateways.withAuth(AuthTestSupport.apiKeys(keys, Duration.ofMinutes(5), 0, 0), new MovableClock());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        log.close();
        List<String> lines = log.lines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("auth refused")), "the refusals were logged: " + lines);
        for (String line : lines) {
            for (String secret : SECRETS) {
                assertFalse(line.contains(secret), "a credential was logged: " + line);
            }
        }
    }

    private static String ws(String path) {
        return "ws://127.0.0.1:" + gateway.port() + path;
    }

    @Test
    void anApiKeyInTheAuthorizationHeaderOpensASessionAndCallsRest() throws Exception {
        try (WsTestClient client = sessionWithHeader(gateway.port(), "header-key", ALICE)) {
            assertTrue(client.subprotocol().isEmpty(), "no subprotocol offered, none selected");
        }
        assertEquals(
                200,
                request(gateway.port(), "GET", "/api/v1/sessions", ALICE, null).statusCode());
    }

    @Test
    void theSubprotocolFormIsAnsweredWithEarshotV1AndNeverTheCredential() throws Exception {
        RawHttp.Answer answer = RawHttp.upgrade(
                gateway.port(),
                "/api/v1/transcribe/raw-subprotocol",
                "Sec-WebSocket-Protocol: earshot.v1, bearer." + ALICE);
        assertEquals(101, answer.status(), answer.head());
        assertEquals("earshot.v1", answer.headers().get("sec-websocket-protocol"));
        assertFalse(answer.head().contains(ALICE), answer.head());

        try (WsTestClient client = WsTestClient.connect(
                URI.create(ws("/api/v1/transcribe/browser-form")),
                b -> b.subprotocols("earshot.v1", "bearer." + BOB))) {
            assertEquals("earshot.v1", client.subprotocol());
            assertEquals(
                    "transcription_started",
                    client.start(null).next().path("event").asText());
        }
    }

    @Test
    void missingOrWrongCredentialsAre401WithWwwAuthenticateBeforeAnyUpgrade() throws Exception {
        RawHttp.Answer none = RawHttp.upgrade(gateway.port(), "/api/v1/transcribe/no-credentials");
        assertEquals(401, none.status(), none.head());
        assertTrue(none.headers().get("www-authenticate").startsWith("Bearer"), none.head());

        RawHttp.Answer wrong = RawHttp.upgrade(
                gateway.port(), "/api/v1/transcribe/wrong-key", "Authorization: Bearer " + KeysCommand.newKey());
        assertEquals(401, wrong.status(), wrong.head());
        RawHttp.Answer basic =
                RawHttp.upgrade(gateway.port(), "/api/v1/transcribe/basic", "Authorization: Basic YWxpY2U6cHc=");
        assertEquals(401, basic.status(), basic.head());
        RawHttp.Answer wrongProtocol = RawHttp.upgrade(
                gateway.port(), "/api/v1/transcribe/wrong-protocol", "Sec-WebSocket-Protocol: earshot.v1, bearer.nope");
        assertEquals(401, wrongProtocol.status(), wrongProtocol.head());

        HttpResponse<String> rest = request(gateway.port(), "GET", "/api/v1/sessions", null, null);
        assertEquals(401, rest.statusCode());
        assertTrue(rest.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals("unauthenticated", JSON.readTree(rest.body()).path("code").asText());
        assertEquals(
                401,
                request(gateway.port(), "POST", "/api/v1/transcriptions", "nope", "x")
                        .statusCode());
        assertEquals(
                401,
                request(gateway.port(), "POST", "/api/v1/tokens", null, null).statusCode());
    }

    @Test
    void anApiKeyInTheQueryStringIsRefusedButATokenThereIsAccepted() throws Exception {
        RawHttp.Answer key = RawHttp.upgrade(gateway.port(), "/api/v1/transcribe/query-key?access_token=" + ALICE);
        assertEquals(401, key.status(), key.head());

        String token = token(gateway.port(), ALICE, null).path("token").asText();
        SECRETS.add(token);
        try (WsTestClient client =
                WsTestClient.connect(URI.create(ws("/api/v1/transcribe/query-token?access_token=" + token)), b -> {})) {
            assertEquals(
                    "transcription_started",
                    client.start(null).next().path("event").asText());
        }
    }

    @Test
    void aTokenOpensSessionsInEveryFormButMintsNoTokens() throws Exception {
        JsonNode issued = token(gateway.port(), BOB, "{\"ttl_seconds\": 120}");
        String token = issued.path("token").asText();
        SECRETS.add(token);
        Instant expires = Instant.parse(issued.path("expires_at").asText());
        assertTrue(expires.isAfter(Instant.now().plusSeconds(100))
                && expires.isBefore(Instant.now().plusSeconds(130)));

        sessionWithHeader(gateway.port(), "token-header", token).close();
        try (WsTestClient client = WsTestClient.connect(
                URI.create(ws("/api/v1/transcribe/token-protocol")),
                b -> b.subprotocols("earshot.v1", "bearer." + token))) {
            assertEquals(
                    "transcription_started",
                    client.start(null).next().path("event").asText());
        }
        assertEquals(
                200,
                request(gateway.port(), "GET", "/api/v1/sessions", token, null).statusCode());
        assertEquals(
                403,
                request(gateway.port(), "POST", "/api/v1/tokens", token, null).statusCode());
        assertEquals(
                400,
                request(gateway.port(), "POST", "/api/v1/tokens", BOB, "{\"ttl_seconds\": 301}")
                        .statusCode());
        assertEquals(
                400,
                request(gateway.port(), "POST", "/api/v1/tokens", BOB, "{\"ttl_seconds\": 0}")
                        .statusCode());
        HttpResponse<String> fresh = request(gateway.port(), "POST", "/api/v1/tokens", BOB, null);
        assertEquals("no-store", fresh.headers().firstValue("Cache-Control").orElse(""));
        SECRETS.add(JSON.readTree(fresh.body()).path("token").asText());
    }

    @Test
    void aTokenStopsOpeningSessionsWhenItExpiresWhileAnOpenSessionOutlivesIt() throws Exception {
        String token = token(gateway.port(), ALICE, "{\"ttl_seconds\": 1}")
                .path("token")
                .asText();
        SECRETS.add(token);
        try (WsTestClient open = sessionWithHeader(gateway.port(), "outlives-token", token)) {
            await("the token expires")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> RawHttp.upgrade(
                                            gateway.port(),
                                            "/api/v1/transcribe/after-expiry",
                                            "Authorization: Bearer " + token)
                                    .status()
                            == 401);
            open.send("{\"type\":\"keepalive\"}").stop();
            assertEquals(
                    "transcription_stopped",
                    open.until("transcription_stopped").path("event").asText());
        }
    }

    @Test
    void sessionsListsOnlyTheCallersOwn() throws Exception {
        try (WsTestClient alice = sessionWithHeader(gateway.port(), "owned-by-alice", ALICE);
                WsTestClient bob = sessionWithHeader(gateway.port(), "owned-by-bob", BOB)) {
            JsonNode forAlice = JSON.readTree(request(gateway.port(), "GET", "/api/v1/sessions", ALICE, null)
                    .body());
            List<String> ids = new ArrayList<>();
            forAlice.path("sessions").forEach(s -> ids.add(s.path("session_id").asText()));
            assertTrue(ids.contains("owned-by-alice"), ids.toString());
            assertFalse(ids.contains("owned-by-bob"), ids.toString());
            JsonNode all = TestGateways.sessions(gateway);
            List<String> allIds = new ArrayList<>();
            all.path("sessions").forEach(s -> allIds.add(s.path("session_id").asText()));
            assertTrue(allIds.containsAll(List.of("owned-by-alice", "owned-by-bob")), "the admin port lists all");
        }
    }

    @Test
    void aKeyAddedToTheFileWorksAndARemovedOneStops() throws Exception {
        String carol = KeysCommand.newKey();
        SECRETS.add(carol);
        assertEquals(
                401,
                request(gateway.port(), "GET", "/api/v1/sessions", carol, null).statusCode());
        String before = Files.readString(keys);
        Files.writeString(keys, before + "carol " + ApiKeys.hashOf(carol) + "\n");
        await("the new key is accepted")
                .atMost(Duration.ofSeconds(10))
                .until(() -> request(gateway.port(), "GET", "/api/v1/sessions", carol, null)
                                .statusCode()
                        == 200);
        Files.writeString(keys, before + "# carol revoked\n");
        await("the removed key is refused")
                .atMost(Duration.ofSeconds(10))
                .until(() -> request(gateway.port(), "GET", "/api/v1/sessions", carol, null)
                                .statusCode()
                        == 401);
        assertEquals(
                200,
                request(gateway.port(), "GET", "/api/v1/sessions", ALICE, null).statusCode());
    }
}

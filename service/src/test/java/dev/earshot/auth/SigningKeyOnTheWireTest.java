package dev.earshot.auth;

import static dev.earshot.auth.AuthTestSupport.request;
import static dev.earshot.auth.AuthTestSupport.sessionWithHeader;
import static dev.earshot.auth.AuthTestSupport.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.LogCapture;
import dev.earshot.testing.MovableClock;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth.token-signing-key-file} on real sockets: replicas that share the file accept each
 * other's tokens, and the file is read again when it is replaced (as the kubelet replaces a
 * mounted Secret: a new file moved over the old), so the key rotates without a restart.
 */
class SigningKeyOnTheWireTest {
    static final String ALICE = KeysCommand.newKey();
    static final Duration TTL = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock();
    private final List<GatewayServer> gateways = new ArrayList<>();

    @AfterEach
    void stop() {
        gateways.forEach(GatewayServer::close);
    }

    /** Writes {@code key} to {@code name} in one step, as the kubelet swaps a Secret's files. */
    private Path writeKey(String name, byte[] key) throws IOException {
        Path next = Files.write(dir.resolve(name + ".next"), key);
        return Files.move(next, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** A gateway with API keys (alice) that signs its tokens with {@code signingKey}, if any. */
    private GatewayServer gateway(Optional<Path> signingKey) throws IOException {
        Path keys = dir.resolve("api-keys");
        if (!Files.exists(keys)) {
            TestConfigs.keysFile(dir, "alice", ALICE);
        }
        GatewayServer gateway = TestGateways.withAuth(TestConfigs.apiKeys(keys, TTL, 0, 0, signingKey), clock);
        gateways.add(gateway);
        return gateway;
    }

    private static String tokenFrom(GatewayServer gateway) throws IOException {
        return token(gateway.port(), ALICE, null).path("token").asText();
    }

    /** The status of {@code GET /api/v1/sessions} with {@code token}: 200 accepted, 401 refused. */
    private static int use(GatewayServer gateway, String token) {
        return request(gateway.port(), "GET", "/api/v1/sessions", token, null).statusCode();
    }

    @Test
    void replicasSharingTheKeyFileAcceptEachOthersTokensAndAReplicaWithItsOwnKeyDoesNot() throws Exception {
        Path key = writeKey("signing-key", randomKey());
        GatewayServer one = gateway(Optional.of(key));
        GatewayServer other = gateway(Optional.of(key));
        GatewayServer alone = gateway(Optional.empty());

        String token = tokenFrom(one);
        sessionWithHeader(other.port(), "token-from-another-replica", token).close();
        assertEquals(200, use(other, token));
        assertEquals(401, use(alone, token), "a random key of its own");
        assertEquals(401, use(one, tokenFrom(alone)));
    }

    @Test
    void aReplacedKeySignsAtOnceAndThePreviousKeysTokensAreAcceptedForTheirTtlAndTheSpread() throws Exception {
        byte[] first = randomKey();
        Path key = writeKey("signing-key", first);
        GatewayServer updated = gateway(Optional.of(key));
        // a replica whose copy of the Secret the kubelet has not replaced yet
        GatewayServer stale = gateway(Optional.of(writeKey("stale-signing-key", first)));
        String before = tokenFrom(updated);

        writeKey("signing-key", randomKey());
        String after = tokenFrom(updated); // the replica sees the new file on this request
        assertEquals(401, use(stale, after), "signed with the new key, which the stale replica lacks");
        assertEquals(200, use(updated, after));
        assertEquals(200, use(updated, before), "signed before the change, within its ttl");
        assertEquals(200, use(stale, before));

        // later, a token of the stale replica, signed with the previous key and not yet expired
        clock.advance(TTL.plus(Duration.ofMinutes(1)));
        String late = tokenFrom(stale);
        assertEquals(200, use(updated, late), "within the ttl and the spread since the change");
        clock.advance(Duration.ofMinutes(1).plusSeconds(5));
        assertEquals(200, use(stale, late), "the token itself is still valid");
        assertEquals(401, use(updated, late), "the previous key is no longer accepted");
        assertEquals(200, use(updated, tokenFrom(updated)));
    }

    @Test
    void aReplacementThatIsNoKeyIsLoggedAndTheKeyInUseKept() throws Exception {
        byte[] first = randomKey();
        Path key = writeKey("signing-key", first);
        GatewayServer gateway = gateway(Optional.of(key));
        GatewayServer sameKey = gateway(Optional.of(writeKey("copy", first)));
        try (LogCapture log = new LogCapture()) {
            writeKey("signing-key", new byte[10]);
            String token = tokenFrom(gateway);
            assertEquals(200, use(sameKey, token), "still signed with the first key");
            assertTrue(
                    log.lines().stream().anyMatch(l -> l.contains("cannot reload") && l.contains("at least 32 bytes")),
                    log.lines().toString());
        }
    }
}

package dev.earshot.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code earshot keys new}: the key is printed once, only its hash is stored, and it works. */
class KeysCommandTest {
    @TempDir
    Path dir;

    @Test
    void aNewKeyIsPrintedOnceAndItsHashAppendedToTheFile() throws Exception {
        Path file = dir.resolve("keys");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = KeysCommand.run(
                new String[] {"new", "alice", "--file", file.toString()},
                Optional.empty(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String key = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(key.startsWith("esk_"), key);
        assertEquals(32, Base64.getUrlDecoder().decode(key.substring(4)).length, "32 bytes of entropy");
        String stored = Files.readString(file);
        assertFalse(stored.contains(key), "the key itself is not stored");
        assertTrue(stored.contains("alice " + ApiKeys.hashOf(key)), stored);
        assertEquals(Optional.of("alice"), new ApiKeys(file).lookUp(key));

        // a second key goes to auth.api-keys-file when --file is not given
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        assertEquals(
                0,
                KeysCommand.run(
                        new String[] {"new", "bob"},
                        Optional.of(file),
                        new PrintStream(second, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        String bobKey = second.toString(StandardCharsets.UTF_8).trim();
        assertEquals(Optional.of("bob"), new ApiKeys(file).lookUp(bobKey));
        assertEquals(Optional.empty(), new ApiKeys(file).lookUp(key + "x"));
    }

    @Test
    void badUsageIsExitCodeTwo() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, KeysCommand.run(new String[] {"new"}, Optional.of(dir.resolve("k")), sink, sink));
        assertEquals(2, KeysCommand.run(new String[] {"new", "bad name"}, Optional.of(dir.resolve("k")), sink, sink));
        assertEquals(2, KeysCommand.run(new String[] {"new", "alice"}, Optional.empty(), sink, sink));
    }
}

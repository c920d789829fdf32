package dev.earshot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.DroppingProxy;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestCorpus;
import dev.earshot.testing.TestGateways;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line client against a real gateway (synthetic engine). */
class TranscribeCommandTest {

    static Path wav(Path dir, int samples) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * samples).put("WAVE".getBytes());
        b.put("fmt ".getBytes())
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(16000)
                .putInt(32000)
                .putShort((short) 2)
                .putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * samples);
        Path file = dir.resolve("tone.wav");
        Files.write(file, b.array());
        return file;
    }

    @Test
    void aWavFileIsStreamedAndItsFinalsArePrinted(@TempDir Path dir) throws Exception {
        Path file = wav(dir, 16000 * 2); // 2 s: 20 chunks of 100 ms
        try (GatewayServer gateway = TestGateways.synthetic(SessionSettings.defaults())) {
            String out = transcribeSucceeds(gateway, file);
            assertTrue(out.contains("chunk 10\n") && out.contains("chunk 20\n"), out);
            assertTrue(out.contains("[2.0 s of audio]"), out);
        }
    }

    @Test
    void intoAPipeOnlyFinalsArePrintedOnePerLine(@TempDir Path dir) throws Exception {
        Path file = wav(dir, 16000 * 2);
        try (GatewayServer gateway = TestGateways.synthetic(SessionSettings.defaults())) {
            String out = transcribeSucceeds(gateway, file, false);
            assertFalse(out.contains("\r"), "no line is rewritten in a pipe: " + out);
            assertFalse(out.contains("chunk 5"), "interims are not printed into a pipe: " + out);
            assertEquals("chunk 10\nchunk 20\n[2.0 s of audio]\n", out);
        }
    }

    @Test
    void onATerminalTheInterimIsShownAndRewritten(@TempDir Path dir) throws Exception {
        Path file = wav(dir, 16000 * 2);
        try (GatewayServer gateway = TestGateways.synthetic(SessionSettings.defaults())) {
            String out = transcribeSucceeds(gateway, file, true);
            assertTrue(out.contains("chunk 5\r"), out);
            assertTrue(out.contains("chunk 20\n"), out);
        }
    }

    @Test
    void aFileThatIsNotWavIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(2, TranscribeCommand.run(new String[] {file.toString()}, new PrintStream(bytes, true)));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("RIFF"));
    }

    @Test
    void theTelephoneSampleIsSentAsEightKilohertzMulaw() throws Exception {
        Path file = TestCorpus.samples().dir().resolve("a_tel01.wav");
        try (GatewayServer gateway = TestGateways.synthetic(SessionSettings.defaults())) {
            String out = transcribeSucceeds(gateway, file);
            // 22,290 bytes of samples: 2.8 s as 8 kHz mu-law (read as 16 kHz PCM they would be 0.7 s)
            assertTrue(out.contains("[2.8 s of audio]"), out);
        }
    }

    @Test
    void theHelpNamesSampleFilesThatExist() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, TranscribeCommand.run(new String[] {"--help"}, new PrintStream(bytes, true)));
        String help = bytes.toString(StandardCharsets.UTF_8);
        List<String> named = Pattern.compile("samples/([\\w.]+\\.wav)")
                .matcher(help)
                .results()
                .map(m -> m.group(1))
                .toList();
        assertFalse(named.isEmpty(), help);
        Path samples = TestCorpus.samples().dir();
        named.forEach(file -> assertTrue(Files.isRegularFile(samples.resolve(file)), file + " is not in " + samples));
    }

    /** What {@code transcribe} printed (stdout and stderr together) and its exit code. */
    private record Printed(int code, String out) {}

    /** {@code transcribe FILE --url ws://proxy/api/v1/transcribe}, without a terminal or a key. */
    private static Printed transcribeThrough(DroppingProxy proxy, Path file) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = TranscribeCommand.run(
                new String[] {file.toString(), "--url", "ws://127.0.0.1:" + proxy.port() + "/api/v1/transcribe"},
                new PrintStream(bytes, true),
                false,
                null);
        return new Printed(code, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aConnectionKilledMidFileIsResumedAndEveryChunkIsInExactlyOneFinal(@TempDir Path dir) throws Exception {
        Path file = wav(dir, 16000 * 6); // 60 chunks of 100 ms
        try (GatewayServer gateway = TestGateways.synthetic(SessionSettings.defaults());
                DroppingProxy proxy = DroppingProxy.start(gateway.port(), 80_000)) { // about chunk 25
            Printed run = transcribeThrough(proxy, file);
            String out = run.out();
            assertEquals(0, run.code(), out);
            assertEquals(2, proxy.connections(), out);
            assertTrue(out.contains("[resumed]\n"), out);
            // the synthetic recognizer counts the chunks its one stream heard: a lost or doubled chunk shifts them
            assertEquals(
                    "chunk 10\nchunk 20\nchunk 30\nchunk 40\nchunk 50\nchunk 60\n[6.0 s of audio]\n",
                    out.replace("[connection lost; reconnecting…]\n", "").replace("[resumed]\n", ""));
        }
    }

    @Test
    void aConnectionThatCannotBeResumedIsGivenUpAfterTheServersGrace(@TempDir Path dir) throws Exception {
        Path file = wav(dir, 16000 * 6);
        SessionSettings oneSecond = SessionSettings.defaults().withResume(Duration.ofSeconds(1), 32 * 1024);
        try (GatewayServer gateway = TestGateways.synthetic(oneSecond);
                DroppingProxy proxy =
                        DroppingProxy.start(gateway.port(), 80_000).refusingAfterTheKill()) {
            Printed run = transcribeThrough(proxy, file);
            String out = run.out();
            assertEquals(1, run.code(), out);
            assertEquals(1, proxy.killed(), out);
            assertTrue(out.contains("[connection lost; reconnecting…]\n"), out);
            assertTrue(out.contains("[cannot resume: the server keeps a dropped session 1.0 s]"), out);
            assertFalse(out.contains("[resumed]"), out);
        }
    }

    @Test
    void aGatewayThatRequiresKeysTakesTheOneInTheEnvironmentAndExplainsWhenItIsMissing(@TempDir Path dir)
            throws Exception {
        Path file = wav(dir, 16000);
        String key = "cli-test-key-0123456789abcdef0123456789abcdef";
        Path keys = TestConfigs.keysFile(dir, "cli", key);
        try (GatewayServer gateway =
                TestGateways.withAuth(TestConfigs.apiKeys(keys, Duration.ofMinutes(5), 0, 0), InstantSource.system())) {
            String[] args = {file.toString(), "--url", "ws://127.0.0.1:" + gateway.port() + "/api/v1/transcribe"};
            ByteArrayOutputStream refused = new ByteArrayOutputStream();
            assertEquals(1, TranscribeCommand.run(args, new PrintStream(refused, true), false, null));
            assertEquals(
                    "the gateway requires credentials (HTTP 401): set EARSHOT_API_KEY to an API key, token or JWT\n",
                    refused.toString(StandardCharsets.UTF_8));

            ByteArrayOutputStream heard = new ByteArrayOutputStream();
            assertEquals(0, TranscribeCommand.run(args, new PrintStream(heard, true), false, key));
            assertEquals("chunk 10\n[1.0 s of audio]\n", heard.toString(StandardCharsets.UTF_8));
        }
    }

    /** Runs {@code transcribe FILE --url <gateway>}, asserts that it exits 0, and returns what it printed. */
    private static String transcribeSucceeds(GatewayServer gateway, Path file) throws Exception {
        return transcribeSucceeds(gateway, file, false);
    }

    private static String transcribeSucceeds(GatewayServer gateway, Path file, boolean interims) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = TranscribeCommand.run(
                new String[] {file.toString(), "--url", "ws://127.0.0.1:" + gateway.port() + "/api/v1/transcribe"},
                new PrintStream(bytes, true),
                interims);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        return out;
    }
}

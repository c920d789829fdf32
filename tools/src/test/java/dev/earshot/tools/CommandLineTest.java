package dev.earshot.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.bench.AsrBenchmark;
import dev.earshot.bench.RecoveryBenchmark;
import dev.earshot.loadtest.LoadTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tools' subcommands answer --help and refuse what they cannot run, before touching the network or a model. */
class CommandLineTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void loadtestHelpListsItsOptions() throws Exception {
        assertEquals(0, LoadTest.main(new String[] {"--help"}, out));
        assertTrue(printed().startsWith("usage: earshot-tools loadtest"), printed());
        assertTrue(printed().contains("--sessions") && printed().contains("--hold"), printed());
    }

    @Test
    void loadtestRefusesAnUnknownOption() throws Exception {
        assertEquals(2, LoadTest.main(new String[] {"--sesions", "5"}, out));
        assertTrue(printed().contains("unknown option --sesions"), printed());
    }

    @Test
    void benchAsrHelpSaysWhatItReads() throws Exception {
        assertEquals(0, AsrBenchmark.run(new String[] {"--help"}, out));
        assertTrue(printed().startsWith("usage: earshot-tools bench-asr [--concurrency N[,N...]]"), printed());
    }

    @Test
    void benchAsrRefusesAConcurrencyThatIsNotAPositiveNumber() throws Exception {
        assertEquals(2, AsrBenchmark.run(new String[] {"--concurrency", "2,0"}, out));
        assertTrue(printed().contains("--concurrency takes positive whole numbers, got 2,0"), printed());
    }

    @Test
    void benchAsrRefusesAFolderWithoutTranscripts(@TempDir Path empty) throws Exception {
        assertEquals(2, AsrBenchmark.run(new String[] {empty.toString()}, out));
        assertTrue(printed().contains(empty + ": no transcripts.tsv"), printed());
    }

    @Test
    void benchRecoveryHelpSaysWhatItMeasures() throws Exception {
        assertEquals(0, RecoveryBenchmark.run(new String[] {"--help"}, out));
        assertTrue(printed().startsWith("usage: earshot-tools bench-recovery"), printed());
        assertTrue(printed().contains("--fail-every"), printed());
    }

    @Test
    void benchRecoveryRefusesWhatItCannotRun() throws Exception {
        assertEquals(2, RecoveryBenchmark.run(new String[] {"--sessions", "0"}, out));
        assertTrue(printed().contains("--sessions takes a positive whole number"), printed());
        assertEquals(2, RecoveryBenchmark.run(new String[] {"--fail-evry", "3"}, out));
        assertTrue(printed().contains("unknown option --fail-evry"), printed());
    }
}

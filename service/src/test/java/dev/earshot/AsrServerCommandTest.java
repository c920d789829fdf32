package dev.earshot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.riva.RivaClient;
import dev.earshot.testing.TestConfigs;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code earshot asr-server} as its own process: it keeps serving until it is told to stop, and
 * a SIGTERM stops it cleanly.
 */
class AsrServerCommandTest {

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log not readable: " + e + ")";
        }
    }

    @Test
    void theRecognizerAloneServesUntilTerminated(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = dir.resolve("asr-server.log");
        Process process = new ProcessBuilder(List.of(
                        java,
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dasr.engine=synthetic",
                        "-Dasr.port=" + port,
                        Main.class.getName(),
                        "asr-server"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try (RivaClient client = new RivaClient(TestConfigs.riva("127.0.0.1:" + port), null)) {
            await("asr-server becomes healthy")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .failFast(() -> assertTrue(process.isAlive(), () -> "asr-server exited: " + read(log)))
                    .untilAsserted(() -> assertTrue(client.healthy(), () -> "not healthy: " + read(log)));
            // longer than start-up: a server that returns from main is gone by now
            await("asr-server keeps serving")
                    .during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(
                            () -> assertTrue(process.isAlive(), () -> "asr-server exited on its own: " + read(log)));
        } finally {
            process.destroy(); // SIGTERM: the shutdown hook closes the server
        }
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "did not stop on SIGTERM: " + Files.readString(log));
    }
}

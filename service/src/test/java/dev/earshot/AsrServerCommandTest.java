package dev.earshot;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.earshot.riva.RivaClient;
import dev.earshot.testing.TestConfigs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code earshot asr-server} as its own process: it keeps serving until it is told to stop, and
 * a SIGTERM stops it cleanly.
 */
class AsrServerCommandTest {

    @Test
    void theRecognizerAloneServesUntilTerminated(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = dir.resolve("asr-server.log");
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                                                     "-Dasr.engine=synthetic", "-Dasr.port=" + port,
                                                     Main.class.getName(), "asr-server"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (RivaClient client = new RivaClient(TestConfigs.riva("127.0.0.1:" + port), null)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!client.healthy() && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(client.healthy(), "never became healthy: " + Files.readString(log));
            Thread.sleep(1500);                     // longer than start-up: a server that returns from main is gone by now
            assertTrue(process.isAlive(), "asr-server exited on its own: " + Files.readString(log));
        } finally {
            process.destroy();                      // SIGTERM: the shutdown hook closes the server
        }
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "did not stop on SIGTERM: " + Files.readString(log));
    }
}

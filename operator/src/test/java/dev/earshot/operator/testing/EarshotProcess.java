package dev.earshot.operator.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A real {@code earshot serve} process on loopback (the service module's runnable jar), with the
 * synthetic recognizer: what a gateway pod runs, minus the container.
 */
public final class EarshotProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final int port;
    private final int adminPort;
    private final Path log;

    private EarshotProcess(Process process, int port, int adminPort, Path log) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
    }

    /** Starts a gateway with {@code sessions.max} and waits until it is ready. */
    public static EarshotProcess start(int maxSessions) throws IOException, InterruptedException {
        return start(maxSessions, Map.of());
    }

    /**
     * Starts a gateway with {@code sessions.max} and these environment variables (a pod's, say),
     * and waits until it is ready. Ports, host, engine and drain time are system properties, which
     * win over the variables, so a pod's {@code SERVER_PORT} does not clash with the test's.
     */
    public static EarshotProcess start(int maxSessions, Map<String, String> env)
            throws IOException, InterruptedException {
        Path jar = jar();
        int port = freePort();
        int adminPort = freePort();
        Path log = Files.createTempFile("earshot-" + port, ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(
                java,
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-Dserver.port=" + port,
                "-Dserver.admin-port=" + adminPort,
                "-Dserver.host=127.0.0.1",
                "-Dasr.port=0",
                "-Dasr.engine=synthetic",
                "-Dsessions.max=" + maxSessions,
                "-Dserver.drain-seconds=1",
                "-jar",
                jar.toString(),
                "serve"));
        builder.environment().putAll(env);
        Process process =
                builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        EarshotProcess earshot = new EarshotProcess(process, port, adminPort, log);
        try {
            await("earshot serve becomes ready")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("earshot serve exited", () -> !process.isAlive())
                    .until(earshot::ready);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            earshot.close();
            throw new IllegalStateException("earshot serve did not become ready:\n" + Files.readString(log), e);
        }
        return earshot;
    }

    /**
     * Runs {@code earshot keys new NAME --file FILE}, as the docs tell users to.
     *
     * @return the key it printed
     */
    public static String newApiKey(String name, Path file) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process keys = new ProcessBuilder(
                        java, "-jar", jar().toString(), "keys", "new", name, "--file", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String key = new String(keys.getInputStream().readAllBytes()).trim();
        if (keys.waitFor() != 0 || key.isEmpty()) {
            throw new IllegalStateException("earshot keys new " + name + " failed (exit " + keys.exitValue() + ")");
        }
        return key;
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("earshot.service.jar", "../service/target/earshot.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": build the service first (./mvnw -pl service package)");
        }
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private boolean ready() {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(URI.create(
                                                    "http://127.0.0.1:" + adminPort + "/observe/health/ready"))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** A URL on the public listener. */
    public URI publicUri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The URL the operator scrapes: the admin listener's, as on a pod. */
    public URI metricsUri() {
        return URI.create("http://127.0.0.1:" + adminPort + "/observe/metrics");
    }

    /** The WebSocket endpoint for a session. */
    public URI sessionUri(String id) {
        return URI.create("ws://127.0.0.1:" + port + "/api/v1/transcribe/" + id);
    }

    /** Kills the process at once, like a crashed pod. */
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
            Files.deleteIfExists(log);
        } catch (IOException | InterruptedException e) {
            // best effort
        }
    }
}

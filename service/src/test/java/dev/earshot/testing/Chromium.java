package dev.earshot.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium for browser tests: Debian's {@code chromium} package, started with a fresh
 * profile and the DevTools protocol on a free port, stopped (with every process it started) and its
 * profile deleted on {@link #close()}.
 *
 * <p>The flags keep it off the network this machine does not have (no background services,
 * component updates, sync or QUIC) and let it run as root in a container ({@code --no-sandbox}).
 * A missing browser fails the test with the command that installs it: these tests are part of
 * the build, not optional.
 */
public final class Chromium implements AutoCloseable {
    /** How to get the browser, for the failure message. */
    public static final String INSTALL_HINT = "the browser tests need it. Install Debian's package with "
            + "`apt-get update && apt-get install -y chromium` (.ci/run does this), "
            + "or point -Dearshot.chromium=/path/to/chromium at another build";

    private static final System.Logger LOG = System.getLogger(Chromium.class.getName());
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-default-apps",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "--window-size=1000,1100");

    private final Process process;
    private final Path profile;
    private final Deque<String> log;
    private final DevTools devTools;

    private Chromium(Process process, Path profile, Deque<String> log, DevTools devTools) {
        this.process = process;
        this.profile = profile;
        this.log = log;
        this.devTools = devTools;
    }

    /** The browser to run: {@code -Dearshot.chromium}, else Debian's, else the first on the PATH. */
    public static Optional<Path> executable() {
        String configured = System.getProperty("earshot.chromium");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/chromium")));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "chromium"));
                candidates.add(Path.of(dir, "chromium-browser"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts the browser and connects to it.
     *
     * @param extraFlags flags for this test, e.g. a fake microphone
     * @throws AssertionError when there is no Chromium or it does not start within 30 s
     */
    public static Chromium launch(List<String> extraFlags) {
        Path binary = executable().orElseThrow(() -> new AssertionError("Chromium not found: " + INSTALL_HINT));
        Path profile;
        try {
            profile = Files.createTempDirectory("earshot-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + profile);
        command.addAll(extraFlags);
        command.add("about:blank");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            deleteTree(profile);
            throw new AssertionError("could not start " + binary + " (" + e + "): " + INSTALL_HINT, e);
        }
        Deque<String> log = new ArrayDeque<>();
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> readLog(process, log, endpoint), "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            URI uri = endpoint.get(30, TimeUnit.SECONDS);
            LOG.log(Level.INFO, "chromium pid " + process.pid() + " at " + uri);
            return new Chromium(process, profile, log, DevTools.connect(uri));
        } catch (Exception e) {
            stop(process);
            deleteTree(profile);
            throw new AssertionError("Chromium did not start within 30 s: " + e + "\nits log:\n" + tail(log), e);
        }
    }

    private static void readLog(Process process, Deque<String> log, CompletableFuture<URI> endpoint) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (log) {
                    log.addLast(line);
                    if (log.size() > 200) {
                        log.removeFirst();
                    }
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    endpoint.complete(URI.create(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        endpoint.completeExceptionally(new IllegalStateException(
                "Chromium exited with " + (process.isAlive() ? "its log closed" : "code " + process.exitValue())));
    }

    /** A new tab. */
    public BrowserPage newPage() {
        return BrowserPage.open(devTools);
    }

    /** The last lines Chromium printed, for failure messages. */
    public String log() {
        return tail(log);
    }

    private static String tail(Deque<String> log) {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    @Override
    public void close() {
        try {
            devTools.close();
        } finally {
            stop(process);
            deleteTree(profile);
        }
    }

    /** Ends the browser and every process it started (renderers, GPU, utilities): by id, never by name. */
    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete " + root + ": " + e);
        }
    }
}

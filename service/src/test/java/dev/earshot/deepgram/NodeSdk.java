package dev.earshot.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Deepgram's official JavaScript SDK, installed for the tests: the pinned {@code package.json}
 * and lock file under {@code src/test/js/deepgram} are copied to {@code target/deepgram-sdk} with
 * the scripts, and {@code npm ci} installs exactly the locked versions there (once per build).
 * Node and npm come from the machine ({@code .ci/run} installs Debian's when they are missing);
 * without them the tests fail and say how to install them, rather than skip.
 */
final class NodeSdk {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SOURCE = Path.of("src/test/js/deepgram");
    private static final Path DIR = Path.of("target/deepgram-sdk");
    private static boolean installed;

    private NodeSdk() {}

    /** Installs the SDK if this build has not yet. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        require("node");
        require("npm");
        try {
            Files.createDirectories(DIR);
            try (Stream<Path> files = Files.list(SOURCE)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, DIR.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Result npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
        if (npm.exit() != 0) {
            throw new AssertionError("npm ci failed in " + DIR.toAbsolutePath() + ":\n" + npm.output());
        }
        installed = true;
    }

    /** What a script printed: one JSON object per line. */
    record Result(int exit, String output, List<JsonNode> lines) {}

    /** Runs {@code node script args...} in the SDK's folder. */
    static Result node(String script, List<String> args, int timeoutSeconds) {
        return node(script, args, Map.of(), timeoutSeconds);
    }

    /** Runs {@code node script args...} in the SDK's folder with {@code env} added to its environment. */
    static Result node(String script, List<String> args, Map<String, String> env, int timeoutSeconds) {
        install();
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(args);
        return run(command, env, timeoutSeconds);
    }

    private static Result run(List<String> command, int timeoutSeconds) {
        return run(command, Map.of(), timeoutSeconds);
    }

    private static Result run(List<String> command, Map<String, String> env, int timeoutSeconds) {
        try {
            Path log = Files.createTempFile("earshot-node", ".out");
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(env);
            Process p = builder.directory(DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " took over " + timeoutSeconds + " s:\n" + Files.readString(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            List<JsonNode> lines = new ArrayList<>();
            for (String line : output.split("\n")) {
                if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                }
            }
            return new Result(p.exitValue(), output, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void require(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version")
                    .redirectErrorStream(true)
                    .start();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError(tool + " is needed to run Deepgram's JavaScript SDK against the gateway: "
                + "apt-get install -y nodejs npm (.ci/run does this when they are missing)");
    }
}

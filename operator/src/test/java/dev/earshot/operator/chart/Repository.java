package dev.earshot.operator.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the files the chart tests check live. Surefire passes the repository root, so the tests
 * read the very files users get (the chart, {@code examples/}, the README, the Dockerfiles) and not
 * copies of them.
 */
final class Repository {

    private Repository() {}

    /** The repository root. */
    static Path root() {
        return Path.of(System.getProperty("earshot.repo.dir", ".."))
                .toAbsolutePath()
                .normalize();
    }

    static Path chart() {
        return root().resolve("charts/earshot-operator");
    }

    static Path examples() {
        return root().resolve("examples");
    }

    /** The Maven project version, which the images are tagged with. */
    static String version() {
        String version = System.getProperty("earshot.version");
        if (version == null) {
            throw new IllegalStateException("earshot.version is not set; run the tests through Maven");
        }
        return version;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.earshot.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Function;

/**
 * A file read again when it changes: the API keys file, the JWKS and the token signing key are
 * mounted Secrets and ConfigMaps, which Kubernetes updates in place (a new file behind a symbolic
 * link). Each
 * {@link #get()} compares the file's modification time and size with the last read, one
 * {@code stat} and no thread; a file that cannot be read or parsed keeps the last good content,
 * so a half-written update never locks everyone out.
 *
 * @param <T> what the file is parsed into
 */
final class WatchedFile<T> {
    private static final System.Logger LOG = System.getLogger(WatchedFile.class.getName());

    private final Path path;
    private final Function<byte[], T> parser;
    private volatile Snapshot<T> current;

    private record Snapshot<T>(Object stamp, T value) {}

    /**
     * Reads the file once.
     *
     * @throws IllegalArgumentException when it cannot be read or parsed at start
     */
    WatchedFile(Path path, Function<byte[], T> parser, String key) {
        this.path = path;
        this.parser = parser;
        try {
            Object stamp = stamp();
            this.current = new Snapshot<>(stamp, parser.apply(Files.readAllBytes(path)));
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException(key + " cannot be read: " + path, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " " + path + ": " + e.getMessage(), e);
        }
    }

    /** The file's content, read again first when the file changed. */
    T get() {
        Snapshot<T> snapshot = current;
        Object stamp;
        try {
            stamp = stamp();
        } catch (IOException e) {
            return snapshot.value();
        }
        if (Objects.equals(stamp, snapshot.stamp())) {
            return snapshot.value();
        }
        synchronized (this) {
            if (!Objects.equals(stamp, current.stamp())) {
                try {
                    current = new Snapshot<>(stamp, parser.apply(Files.readAllBytes(path)));
                    LOG.log(System.Logger.Level.INFO, "reloaded " + path);
                } catch (IOException | RuntimeException e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "cannot reload " + path + ", keeping the previous content: " + e.getMessage());
                    current = new Snapshot<>(stamp, current.value());
                }
            }
            return current.value();
        }
    }

    /** A parser of the file's bytes for one of its text, which must be UTF-8. */
    static <T> Function<byte[], T> text(Function<String, T> parser) {
        return bytes -> {
            try {
                return parser.apply(StandardCharsets.UTF_8
                        .newDecoder()
                        .decode(ByteBuffer.wrap(bytes))
                        .toString());
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("not UTF-8 text");
            }
        };
    }

    private Object stamp() throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return attributes.lastModifiedTime().toMillis() + ":" + attributes.size() + ":" + attributes.fileKey();
    }
}

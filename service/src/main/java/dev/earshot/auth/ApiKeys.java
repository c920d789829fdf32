package dev.earshot.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys file ({@code auth.api-keys-file}): one key a line, {@code <name> sha256:<hex>},
 * where the hex is the lower-case SHA-256 of the key's UTF-8 bytes; {@code #} starts a comment.
 * Only hashes are stored, so the file (a mounted Secret) gives nobody a usable key. A presented
 * key is hashed and compared with every entry by {@link MessageDigest#isEqual}, which takes the
 * same time wherever the hashes differ, and the loop does not stop at a match: how long a check
 * takes tells nothing about how close a guess was.
 */
public final class ApiKeys {
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9._@-]{1,128})\\s+sha256:([0-9a-f]{64})");

    private record Entry(String name, byte[] hash) {}

    private final WatchedFile<List<Entry>> file;

    /** Reads the file; {@link #lookUp} reads it again whenever it changes. */
    public ApiKeys(Path path) {
        this.file = new WatchedFile<>(path, WatchedFile.text(ApiKeys::parse), "auth.api-keys-file");
    }

    /** The name of the key, if it is one of the file's. */
    public Optional<String> lookUp(String key) {
        byte[] hash = sha256(key);
        String found = null;
        for (Entry entry : file.get()) {
            if (MessageDigest.isEqual(entry.hash(), hash) && found == null) {
                found = entry.name();
            }
        }
        return Optional.ofNullable(found);
    }

    /** {@code sha256:<lower-case hex>} of a key: the form the file stores. */
    public static String hashOf(String key) {
        return "sha256:" + HexFormat.of().formatHex(sha256(key));
    }

    static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        int number = 0;
        for (String raw : text.split("\n", -1)) {
            number++;
            int comment = raw.indexOf('#');
            String line = (comment >= 0 ? raw.substring(0, comment) : raw).trim();
            if (line.isEmpty()) {
                continue;
            }
            var m = LINE.matcher(line);
            if (!m.matches()) {
                // the line is not echoed: it might be a key pasted by mistake
                throw new IllegalArgumentException("line " + number + " is not '<name> sha256:<64 lower-case hex>'");
            }
            entries.add(new Entry(m.group(1), HexFormat.of().parseHex(m.group(2))));
        }
        return List.copyOf(entries);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

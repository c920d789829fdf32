package dev.earshot.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code earshot keys new NAME [--file F]}: makes an API key (32 random bytes, URL-safe base64
 * behind an {@code esk_} prefix that secret scanners can match), prints it once, and appends its
 * {@code NAME sha256:<hex>} line to {@code F} (default {@code auth.api-keys-file}). The key itself
 * is stored nowhere: lose it and make another. A running gateway picks the new line up by itself.
 */
public final class KeysCommand {
    static final String PREFIX = "esk_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final String USAGE =
            "usage: earshot keys new NAME [--file FILE]   (FILE default: auth.api-keys-file)";

    private KeysCommand() {}

    /**
     * Runs the command.
     *
     * @param configuredFile {@code auth.api-keys-file}, if set
     * @return the exit code: 0 done, 2 bad usage, 1 the file could not be written
     */
    public static int run(String[] args, Optional<Path> configuredFile, PrintStream out, PrintStream err) {
        if (args.length < 2 || !args[0].equals("new")) {
            err.println(USAGE);
            return 2;
        }
        String name = args[1];
        Optional<Path> file = configuredFile;
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--file") && i + 1 < args.length) {
                file = Optional.of(Path.of(args[++i]));
            } else {
                err.println("unknown option " + args[i] + "\n" + USAGE);
                return 2;
            }
        }
        if (!NAME.matcher(name).matches()) {
            err.println("a key name is 1-128 characters of A-Z a-z 0-9 . _ @ -");
            return 2;
        }
        if (file.isEmpty()) {
            err.println("no keys file: give --file FILE or set auth.api-keys-file\n" + USAGE);
            return 2;
        }
        String key = newKey();
        String line = name + " " + ApiKeys.hashOf(key) + "\n";
        try {
            append(file.get(), line);
        } catch (IOException e) {
            err.println("cannot write " + file.get() + ": " + e.getMessage());
            return 1;
        }
        out.println(key);
        err.println("added key '" + name + "' to " + file.get()
                + "; the key above is shown only now: give it to its owner (a gateway reloads the file by itself)");
        return 0;
    }

    /** A new API key: {@code esk_} + 32 random bytes in URL-safe base64 without padding. */
    static String newKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void append(Path file, String line) throws IOException {
        if (!Files.exists(file)) {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, "# Earshot API keys: <name> sha256:<hex of the key's SHA-256>\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its own defaults apply
            }
        }
        Files.write(file, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    }
}

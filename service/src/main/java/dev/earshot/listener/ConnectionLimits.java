package dev.earshot.listener;

import io.helidon.config.Config;
import java.time.Duration;

/**
 * The door rules of the public listener, read from the {@code server} node (beside Helidon's own
 * keys there, which Helidon reads and these it ignores).
 *
 * @param headerTimeout    how long a connection may take to send a whole request head, counted
 *                         from when the server starts waiting for it; {@code PT0S}: no deadline
 *                         ({@code server.header-timeout})
 * @param maxPerAddress    connections one client address may hold open at once; 0: no limit
 *                         ({@code server.max-connections-per-ip})
 */
public record ConnectionLimits(Duration headerTimeout, int maxPerAddress) {
    /** Ten seconds: a client on a slow mobile link sends a head of a few hundred bytes in far less. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

    public ConnectionLimits {
        if (headerTimeout.isNegative()) {
            throw new IllegalArgumentException("server.header-timeout must not be negative, got " + headerTimeout);
        }
        if (maxPerAddress < 0) {
            throw new IllegalArgumentException(
                    "server.max-connections-per-ip must not be negative (0: no limit), got " + maxPerAddress);
        }
    }

    /** Reads {@code header-timeout} and {@code max-connections-per-ip} from the {@code server} node. */
    public static ConnectionLimits from(Config server) {
        return new ConnectionLimits(
                server.get("header-timeout").as(Duration.class).orElse(DEFAULT_HEADER_TIMEOUT),
                server.get("max-connections-per-ip").asInt().orElse(0));
    }

    /** The documented defaults: a head deadline of ten seconds, no limit per address. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(DEFAULT_HEADER_TIMEOUT, 0);
    }

    boolean headDeadline() {
        return !headerTimeout.isZero();
    }

    boolean perAddressLimit() {
        return maxPerAddress > 0;
    }
}

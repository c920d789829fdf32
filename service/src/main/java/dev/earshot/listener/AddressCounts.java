package dev.earshot.listener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per client address, up to a limit. An address with no connection has no
 * entry, so the map is as large as the number of addresses connected right now.
 */
final class AddressCounts {
    private final int max;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    AddressCounts(int max) {
        this.max = max;
    }

    /** Counts one more connection from {@code address}; false, counting nothing, when it has {@code max} already. */
    boolean tryAcquire(String address) {
        boolean[] acquired = {false};
        counts.compute(address, (a, n) -> {
            int open = n == null ? 0 : n;
            if (open >= max) {
                return n;
            }
            acquired[0] = true;
            return open + 1;
        });
        return acquired[0];
    }

    /** One connection from {@code address} that {@link #tryAcquire} counted has ended. */
    void release(String address) {
        counts.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections counted for {@code address} right now. */
    int count(String address) {
        return counts.getOrDefault(address, 0);
    }
}

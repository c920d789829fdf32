package dev.earshot.http;

import io.helidon.config.Config;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which browser origins may open sessions and call the API ({@code server.allowed-origins}).
 * By default: pages served from this host (same origin) and from localhost on any port; {@code *}
 * allows every origin, and only when set explicitly. Requests without an {@code Origin} header
 * (command-line tools, telephony bridges, servers) are not browsers and are allowed.
 */
public final class OriginPolicy {
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final boolean any;
    private final Set<String> allowed;

    private OriginPolicy(boolean any, Set<String> allowed) {
        this.any = any;
        this.allowed = allowed;
    }

    /** From a list of origins such as {@code https://app.example.com}, or {@code *}. */
    public static OriginPolicy of(List<String> origins) {
        boolean any = origins.contains("*");
        Set<String> set = origins.stream()
                .filter(o -> !o.equals("*"))
                .map(o -> o.toLowerCase(Locale.ROOT).replaceAll("/+$", ""))
                .collect(java.util.stream.Collectors.toSet());
        return new OriginPolicy(any, set);
    }

    public static OriginPolicy from(Config config) {
        return of(config.get("server.allowed-origins").asList(String.class).orElse(List.of()));
    }

    /**
     * Whether a request with this {@code Origin} (if any) to this {@code Host} is allowed.
     */
    public boolean allows(Optional<String> origin, Optional<String> host) {
        if (origin.isEmpty() || any) {
            return true;
        }
        String o = origin.get().toLowerCase(Locale.ROOT);
        if (allowed.contains(o)) {
            return true;
        }
        try {
            URI uri = URI.create(o);
            if (uri.getHost() == null) {
                return false;
            }
            if (LOCAL_HOSTS.contains(uri.getHost())) {
                return true;
            }
            String authority = uri.getRawAuthority();
            return host.isPresent() && authority != null && authority.equalsIgnoreCase(host.get());
        } catch (IllegalArgumentException e) {
            return false; // "null" (sandboxed pages) and anything malformed
        }
    }
}

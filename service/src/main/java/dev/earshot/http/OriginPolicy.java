package dev.earshot.http;

import dev.earshot.config.ConfigLoader;
import io.helidon.config.Config;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open sessions and call the API ({@code server.allowed-origins}, a
 * list or a comma-separated value). By default: pages served from this host (same origin) and
 * from localhost on any port; {@code *} allows every origin, and only when set explicitly.
 * Requests without an {@code Origin} header (command-line tools, telephony bridges, servers) are
 * not browsers and are allowed.
 *
 * <p>A listed origin matches only with the same scheme, host and port ({@code http://a.example}
 * is {@code http://a.example:80}, not {@code https://a.example}). Same origin means the page's
 * host and port equal the request's {@code Host}, whose port defaults to the one of the page's
 * scheme; the request's own scheme is not compared, because a TLS proxy in front of the gateway
 * hides it.
 */
public final class OriginPolicy {
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final boolean any;
    private final Set<String> allowed; // scheme://host:port

    private OriginPolicy(boolean any, Set<String> allowed) {
        this.any = any;
        this.allowed = allowed;
    }

    /**
     * From a list of origins such as {@code https://app.example.com}, or {@code *}.
     *
     * @throws IllegalArgumentException naming an entry that is not {@code scheme://host[:port]}
     */
    public static OriginPolicy of(List<String> origins) {
        boolean any = origins.contains("*");
        Set<String> set = origins.stream()
                .filter(o -> !o.equals("*"))
                .map(o -> normalize(o.replaceAll("/+$", ""))
                        .orElseThrow(() -> new IllegalArgumentException(
                                "server.allowed-origins: " + o + " is not an origin such as https://app.example.com")))
                .collect(Collectors.toSet());
        return new OriginPolicy(any, set);
    }

    public static OriginPolicy from(Config config) {
        return of(ConfigLoader.list(config.get("server.allowed-origins")));
    }

    /** Whether a request with this {@code Origin} (if any) to this {@code Host} is allowed. */
    public boolean allows(Optional<String> origin, Optional<String> host) {
        if (origin.isEmpty() || any) {
            return true;
        }
        Optional<URI> page = parse(origin.get());
        if (page.isEmpty()) {
            return false; // "null" (sandboxed pages) and anything malformed
        }
        URI uri = page.get();
        if (allowed.contains(key(uri)) || LOCAL_HOSTS.contains(uri.getHost())) {
            return true;
        }
        return host.flatMap(h -> parse(uri.getScheme() + "://" + h))
                .map(h -> h.getHost().equals(uri.getHost()) && port(h) == port(uri))
                .orElse(false);
    }

    private static Optional<String> normalize(String origin) {
        return parse(origin).map(OriginPolicy::key);
    }

    private static Optional<URI> parse(String origin) {
        try {
            URI uri = URI.create(origin.trim().toLowerCase(Locale.ROOT));
            String scheme = uri.getScheme();
            if (uri.getHost() == null
                    || !("http".equals(scheme) || "https".equals(scheme))
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String key(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }
}

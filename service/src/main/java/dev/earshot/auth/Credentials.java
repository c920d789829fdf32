package dev.earshot.auth;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.util.List;
import java.util.Optional;

/**
 * The credential a request carries and where it was found. Three places, in this order: the
 * {@code Authorization: Bearer} header (REST and WebSocket clients that can set headers), the
 * {@code Sec-WebSocket-Protocol} list ({@code earshot.v1, bearer.<credential>}: browsers cannot
 * set headers on a WebSocket), and the {@code access_token} query parameter, which
 * {@link Authenticator} accepts for tokens and JWTs only because URLs end up in logs.
 *
 * @param value  the credential, never logged
 * @param source where it was found
 */
public record Credentials(String value, Source source) {
    /** The subprotocol of protocol v1; selected in the 101 answer when a client offers it. */
    public static final String SUBPROTOCOL = "earshot.v1";

    private static final String BEARER_PROTOCOL = "bearer.";
    private static final HeaderName PROTOCOLS = HeaderNames.create("Sec-WebSocket-Protocol");

    /** Where a credential came from. */
    public enum Source {
        AUTHORIZATION_HEADER,
        SUBPROTOCOL,
        QUERY
    }

    @Override
    public String toString() {
        return "Credentials[" + source + "]"; // never the value
    }

    /** The credential of a request, if it has one. */
    public static Optional<Credentials> from(Headers headers, UriQuery query) {
        Optional<String> authorization = headers.first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            String value = authorization.get().trim();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.of(new Credentials(value.substring(7).trim(), Source.AUTHORIZATION_HEADER));
            }
            return Optional.of(new Credentials("", Source.AUTHORIZATION_HEADER)); // another scheme
        }
        for (String protocol : offeredProtocols(headers)) {
            if (protocol.startsWith(BEARER_PROTOCOL)) {
                return Optional.of(new Credentials(protocol.substring(BEARER_PROTOCOL.length()), Source.SUBPROTOCOL));
            }
        }
        if (query.contains("access_token")) {
            return Optional.of(new Credentials(query.get("access_token"), Source.QUERY));
        }
        return Optional.empty();
    }

    /** Whether the client offered {@link #SUBPROTOCOL} in {@code Sec-WebSocket-Protocol}. */
    public static boolean offersSubprotocol(Headers headers) {
        return offeredProtocols(headers).contains(SUBPROTOCOL);
    }

    private static List<String> offeredProtocols(Headers headers) {
        if (!headers.contains(PROTOCOLS)) {
            return List.of();
        }
        return headers.get(PROTOCOLS).allValues(true).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}

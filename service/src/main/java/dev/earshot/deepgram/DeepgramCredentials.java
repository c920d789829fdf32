package dev.earshot.deepgram;

import dev.earshot.auth.Credentials;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The credential a Deepgram client sends, in any of Deepgram's forms: {@code Authorization: Token
 * <key>} (API keys), {@code Authorization: Bearer <token>} (temporary tokens), or — browsers cannot
 * set headers on a WebSocket — the subprotocol pair {@code Sec-WebSocket-Protocol: token, <key>}
 * (or {@code bearer, <token>}), which the server must answer by naming {@code token} (or
 * {@code bearer}) as the chosen subprotocol. Checking the credential is authentication's job
 * ({@code dev.earshot.auth}); this only reads it.
 *
 * @param scheme      {@code token} or {@code bearer}, lower case
 * @param secret      the key or token
 * @param subprotocol the subprotocol to answer with, when the credential came as one
 */
public record DeepgramCredentials(String scheme, String secret, Optional<String> subprotocol) {
    static final HeaderName PROTOCOL = HeaderNames.create("Sec-WebSocket-Protocol");

    /** The credential of a request, if it carries one. */
    public static Optional<DeepgramCredentials> of(Headers headers) {
        Optional<String> authorization = headers.first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            String value = authorization.get().trim();
            int space = value.indexOf(' ');
            if (space > 0) {
                String scheme = value.substring(0, space).toLowerCase(Locale.ROOT);
                if (scheme.equals("token") || scheme.equals("bearer")) {
                    return Optional.of(new DeepgramCredentials(
                            scheme, value.substring(space + 1).trim(), Optional.empty()));
                }
            }
        }
        List<String> protocols = subprotocols(headers);
        if (protocols.size() >= 2) {
            String scheme = protocols.getFirst().toLowerCase(Locale.ROOT);
            if (scheme.equals("token") || scheme.equals("bearer")) {
                return Optional.of(
                        new DeepgramCredentials(scheme, protocols.get(1), Optional.of(protocols.getFirst())));
            }
        }
        return Optional.empty();
    }

    /** This credential as Earshot's authentication takes it: API key or token alike, by where it came from. */
    public Credentials credentials() {
        return new Credentials(
                secret,
                subprotocol.isPresent() ? Credentials.Source.SUBPROTOCOL : Credentials.Source.AUTHORIZATION_HEADER);
    }

    /** The subprotocols a WebSocket client offered, in order. */
    static List<String> subprotocols(Headers headers) {
        return headers.all(PROTOCOL, List::of).stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .toList();
    }
}

package dev.earshot.deepgram;

import dev.earshot.auth.Credentials;
import dev.earshot.session.Session;
import dev.earshot.session.SessionContext;
import dev.earshot.ws.WsEndpoint;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /v1/listen} upgraded to a WebSocket: a Deepgram live stream. The query parameters
 * are read before the 101; a request they make invalid is declined here and answered 400 with
 * Deepgram's error body by {@link ListenResource}. An accepted stream is an ordinary session
 * (same limits, metrics, drain and recovery as protocol v1) whose id is Deepgram's
 * {@code request_id}, also sent as the {@code dg-request-id} header as Deepgram does. Its
 * credential ({@code Authorization: Token <key>}, {@code Bearer <token>}, or the {@code token}
 * subprotocol pair) is checked like any other: an Earshot API key, token or JWT.
 */
public final class ListenEndpoint implements WsEndpoint {
    /** The path of Deepgram's listen API. */
    public static final String PATH = "/v1/listen";

    private final SessionContext sessions;
    private final DeepgramSettings settings;

    public ListenEndpoint(SessionContext sessions, DeepgramSettings settings) {
        this.sessions = sessions;
        this.settings = settings;
    }

    @Override
    public boolean serves(String path) {
        return path.equals(PATH) || path.equals(PATH + "/");
    }

    @Override
    public Optional<Accepted> accept(HttpPrologue prologue, Headers headers) {
        ListenOptions options;
        try {
            options = ListenParameters.parse(prologue.query(), settings.models());
        } catch (ListenRequestException e) {
            return Optional.empty();
        }
        String requestId = UUID.randomUUID().toString();
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("dg-request-id", requestId);
        DeepgramCredentials.of(headers)
                .flatMap(DeepgramCredentials::subprotocol)
                .ifPresent(p -> answer.put(DeepgramCredentials.PROTOCOL.defaultCase(), p));
        return Optional.of(new Accepted(answer, (out, owner) -> {
            DeepgramSocket socket = new DeepgramSocket(out);
            ListenDialect dialect = new ListenDialect(options, requestId, settings.idleTimeout(), socket);
            return new Session(requestId, owner, socket, sessions, dialect);
        }));
    }

    /** Deepgram's credential forms ({@link DeepgramCredentials}), else Earshot's own. */
    @Override
    public Optional<Credentials> credentials(Headers headers, UriQuery query) {
        Optional<DeepgramCredentials> deepgram = DeepgramCredentials.of(headers);
        if (deepgram.isPresent()) {
            return deepgram.map(DeepgramCredentials::credentials);
        }
        return Credentials.from(headers, query);
    }
}

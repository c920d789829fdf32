package dev.earshot.ws;

import dev.earshot.auth.Authentication;
import dev.earshot.auth.Authenticator;
import dev.earshot.auth.Credentials;
import dev.earshot.auth.Quotas;
import dev.earshot.http.OriginPolicy;
import dev.earshot.session.ProtocolV1Dialect;
import dev.earshot.session.ResumableSocket;
import dev.earshot.session.Session;
import dev.earshot.session.SessionContext;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The WebSocket handshake for {@code /api/v1/transcribe[/{session_id}]} (RFC 6455 section 4.2).
 * A request this endpoint will not take — another path, a browser origin that is not allowed, a
 * malformed session id — is left to the HTTP routes ({@code null}), where
 * {@link UpgradeRefusals} answers it with 403, 400 or 426. A broken handshake
 * (no {@code Upgrade} token in {@code Connection}, no key, another protocol version) is
 * answered 400 here; Helidon itself answers a request older than HTTP/1.1 with 505. Header tokens
 * are compared without regard to letter case ({@link HandshakeTokens}). Missing or wrong
 * credentials are answered 401 and a principal over its quota 429, before anything is upgraded
 * ({@link AuthRefusals}), on every endpoint alike. A protocol v1 handshake with a
 * {@code resume_token} takes over a session whose connection dropped ({@link ResumeRequests}). A protocol v1 client that offers the
 * {@code earshot.v1} subprotocol (browsers send their credential as a second one,
 * {@code bearer.<credential>}) gets {@code earshot.v1} selected; the credential is never echoed.
 *
 * <p>Earshot speaks WebSocket through this upgrader and its own frame codec rather than Helidon's
 * WebSocket module: Helidon 4.2.0 unmasks frames a byte at a time through several layers, keeps
 * per-connection buffers for the life of the connection, and never tells its listener about a
 * client that vanished without a close frame. See docs/performance.md.
 */
final class TranscribeUpgrader implements Http1Upgrader {
    private static final HeaderName KEY = HeaderNames.create("Sec-WebSocket-Key");
    private static final HeaderName VERSION = HeaderNames.create("Sec-WebSocket-Version");
    /** A resuming connection takes no quota slot: the session kept the one it was opened with. */
    private static final Quotas.Lease NO_LEASE = () -> {};

    private final SessionContext sessions;
    private final OriginPolicy origins;
    private final Authenticator auth;
    private final List<WsEndpoint> endpoints;

    TranscribeUpgrader(SessionContext sessions, OriginPolicy origins, Authenticator auth, List<WsEndpoint> endpoints) {
        this.sessions = sessions;
        this.origins = origins;
        this.auth = auth;
        this.endpoints = List.copyOf(endpoints);
    }

    @Override
    public String supportedProtocol() {
        return "websocket";
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        String path = prologue.uriPath().path();
        for (WsEndpoint endpoint : endpoints) {
            if (endpoint.serves(path)) {
                return upgrade(ctx, prologue, headers, endpoint);
            }
        }
        if (!path.equals(SessionIds.BASE_PATH) && !path.startsWith(SessionIds.BASE_PATH + "/")
                || prologue.method() != Method.GET
                || !origins.allows(headers.first(HeaderNames.ORIGIN), headers.first(HeaderNames.HOST))) {
            return null;
        }
        Optional<String> sessionId = SessionIds.fromPath(path);
        if (sessionId.isEmpty()) {
            return null;
        }
        String accept = handshake(headers);
        Authentication who = AuthRefusals.authenticate(auth, Credentials.from(headers, prologue.query()));
        Map<String, String> extra = Credentials.offersSubprotocol(headers)
                ? Map.of("Sec-WebSocket-Protocol", Credentials.SUBPROTOCOL)
                : Map.of();
        if (ResumeRequests.asks(prologue.query())) {
            ResumeRequests.Resume resume =
                    ResumeRequests.check(prologue.query(), sessionId.get(), who.principal(), sessions.registry());
            return open(ctx, accept, extra, NO_LEASE, out -> resume.session(), OptionalLong.of(resume.lastSeq()));
        }
        Quotas.Lease lease = AuthRefusals.admit(auth, who.principal(), sessionId.get());
        String owner = who.principal().id();
        long eventBuffer = sessions.settings().resumeBufferBytes();
        return open(
                ctx,
                accept,
                extra,
                lease,
                out -> new Session(
                        sessionId.get(),
                        owner,
                        new ResumableSocket(
                                out, eventBuffer, sessions.settings().resumeGrace()),
                        sessions,
                        ProtocolV1Dialect.INSTANCE),
                OptionalLong.empty());
    }

    /** An upgrade to another endpoint's API: the same origin rules and handshake, its own session. */
    private ServerConnection upgrade(
            ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers, WsEndpoint endpoint) {
        if (prologue.method() != Method.GET
                || !origins.allows(headers.first(HeaderNames.ORIGIN), headers.first(HeaderNames.HOST))) {
            return null;
        }
        Optional<WsEndpoint.Accepted> accepted = endpoint.accept(prologue, headers);
        if (accepted.isEmpty()) {
            return null;
        }
        String accept = handshake(headers);
        Authentication who = AuthRefusals.authenticate(auth, endpoint.credentials(headers, prologue.query()));
        Quotas.Lease lease =
                AuthRefusals.admit(auth, who.principal(), prologue.uriPath().path());
        String owner = who.principal().id();
        return open(
                ctx,
                accept,
                accepted.get().responseHeaders(),
                lease,
                out -> accepted.get().session().open(out, owner),
                OptionalLong.empty());
    }

    /** Answers 101 and makes the connection, giving the quota slot back if the answer cannot be written. */
    private ServerConnection open(
            ConnectionContext ctx,
            String accept,
            Map<String, String> extra,
            Quotas.Lease lease,
            Function<WebSocketOut, Session> session,
            OptionalLong resumeAfter) {
        try {
            switchProtocols(ctx, accept, extra);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        return new TranscribeConnection(ctx.serverSocket(), ctx.dataReader(), sessions, session, lease, resumeAfter);
    }

    /** Checks the handshake's headers; returns the {@code Sec-WebSocket-Accept} answer. */
    private static String handshake(WritableHeaders<?> headers) {
        if (!HandshakeTokens.hasToken(headers, HeaderNames.CONNECTION, "upgrade")) {
            throw badRequest("The Connection header of a WebSocket handshake must include Upgrade");
        }
        if (!headers.first(VERSION).orElse("").trim().equals("13")) {
            throw RequestException.builder()
                    .type(DirectHandler.EventType.BAD_REQUEST)
                    .message("Unsupported WebSocket version; this server speaks 13")
                    .header(HeaderValues.create(VERSION, "13"))
                    .build();
        }
        String key = headers.first(KEY).orElse("").trim();
        return accept(key);
    }

    /** Writes the 101 answer, with {@code extra} headers. */
    private static void switchProtocols(ConnectionContext ctx, String accept, Map<String, String> extra) {
        StringBuilder response = new StringBuilder(
                        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Accept: ")
                .append(accept)
                .append("\r\n");
        extra.forEach((name, value) ->
                response.append(name).append(": ").append(value).append("\r\n"));
        response.append("\r\n");
        ctx.serverSocket().write(BufferData.create(response.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    /** Sec-WebSocket-Accept for a client's key, which must be 16 random bytes in base64. */
    static String accept(String key) {
        byte[] nonce;
        try {
            nonce = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            nonce = new byte[0];
        }
        if (nonce.length != 16) {
            throw badRequest("Missing or invalid Sec-WebSocket-Key");
        }
        return WsHandshake.acceptFor(key);
    }

    private static RequestException badRequest(String message) {
        return RequestException.builder()
                .type(DirectHandler.EventType.BAD_REQUEST)
                .message(message)
                .build();
    }
}

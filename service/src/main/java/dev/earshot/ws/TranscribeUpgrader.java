package dev.earshot.ws;

import dev.earshot.auth.Authentication;
import dev.earshot.auth.Authenticator;
import dev.earshot.auth.Credentials;
import dev.earshot.auth.Quotas;
import dev.earshot.http.OriginPolicy;
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
import java.util.Optional;

/**
 * The WebSocket handshake for {@code /api/v1/transcribe[/{session_id}]} (RFC 6455 section 4.2).
 * A request this endpoint will not take — another path, a browser origin that is not allowed, a
 * malformed session id — is left to the HTTP routes ({@code null}), where
 * {@link UpgradeRefusals} answers it with 403, 400 or 426. A broken handshake
 * (no key, another protocol version) is answered 400 here, and so are missing or wrong credentials
 * (401) and a principal over its quota (429), before anything is upgraded ({@link AuthRefusals}).
 * A client that offers the {@code earshot.v1} subprotocol (browsers send their credential as a
 * second one, {@code bearer.<credential>}) gets {@code earshot.v1} selected; the credential is
 * never echoed.
 *
 * <p>Earshot speaks WebSocket through this upgrader and its own frame codec rather than Helidon's
 * WebSocket module: Helidon 4.2.0 unmasks frames a byte at a time through several layers, keeps
 * per-connection buffers for the life of the connection, and never tells its listener about a
 * client that vanished without a close frame. See docs/performance.md.
 */
final class TranscribeUpgrader implements Http1Upgrader {
    private static final HeaderName KEY = HeaderNames.create("Sec-WebSocket-Key");
    private static final HeaderName VERSION = HeaderNames.create("Sec-WebSocket-Version");

    private final SessionContext sessions;
    private final OriginPolicy origins;
    private final Authenticator auth;

    TranscribeUpgrader(SessionContext sessions, OriginPolicy origins, Authenticator auth) {
        this.sessions = sessions;
        this.origins = origins;
        this.auth = auth;
    }

    @Override
    public String supportedProtocol() {
        return "websocket";
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        String path = prologue.uriPath().path();
        if (!path.equals(SessionIds.BASE_PATH) && !path.startsWith(SessionIds.BASE_PATH + "/")
                || prologue.method() != Method.GET
                || !origins.allows(headers.first(HeaderNames.ORIGIN), headers.first(HeaderNames.HOST))) {
            return null;
        }
        Optional<String> sessionId = SessionIds.fromPath(path);
        if (sessionId.isEmpty()) {
            return null;
        }
        if (!headers.first(VERSION).orElse("").trim().equals("13")) {
            throw RequestException.builder()
                    .type(DirectHandler.EventType.BAD_REQUEST)
                    .message("Unsupported WebSocket version; this server speaks 13")
                    .header(HeaderValues.create(VERSION, "13"))
                    .build();
        }
        String key = headers.first(KEY).orElse("").trim();
        String accept = accept(key);
        Authentication who = AuthRefusals.authenticate(auth, headers, prologue.query());
        Quotas.Lease lease = AuthRefusals.admit(auth, who.principal(), sessionId.get());
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n"
                + (Credentials.offersSubprotocol(headers)
                        ? "Sec-WebSocket-Protocol: " + Credentials.SUBPROTOCOL + "\r\n"
                        : "")
                + "\r\n";
        ctx.serverSocket().write(BufferData.create(response.getBytes(StandardCharsets.US_ASCII)));
        return new TranscribeConnection(
                ctx.serverSocket(), ctx.dataReader(), sessionId.get(), sessions, who.principal(), lease);
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
            throw RequestException.builder()
                    .type(DirectHandler.EventType.BAD_REQUEST)
                    .message("Missing or invalid Sec-WebSocket-Key")
                    .build();
        }
        return WsHandshake.acceptFor(key);
    }
}

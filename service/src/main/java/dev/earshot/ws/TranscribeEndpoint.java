package dev.earshot.ws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.earshot.http.OriginPolicy;
import dev.earshot.session.Session;
import dev.earshot.session.SessionContext;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

/**
 * The protocol v1 WebSocket, one instance per connection: checks the origin and the session id on
 * the upgrade, then hands each complete frame to its {@link Session}. Fragmented messages are
 * joined here, up to the frame limits.
 */
public final class TranscribeEndpoint implements WsListener {
    private final SessionContext ctx;
    private final OriginPolicy origins;
    private String sessionId;
    private Session session;
    private ByteArrayOutputStream fragments;
    private boolean fragmentTooLarge;

    public TranscribeEndpoint(SessionContext ctx, OriginPolicy origins) {
        this.ctx = ctx;
        this.origins = origins;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        if (!origins.allows(headers.first(HeaderNames.ORIGIN), headers.first(HeaderNames.HOST))) {
            throw new WsUpgradeException("origin not allowed");    // answered 403 by UpgradeRefusals
        }
        sessionId = SessionIds.fromPath(prologue.uriPath().path())
                .orElseThrow(() -> new WsUpgradeException("invalid session id"));
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession ws) {
        session = new Session(sessionId, new WsSessionSocket(ws), ctx);
        session.open();
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        if (last && fragments == null) {
            session.onText(text);
            return;
        }
        if (append(text.getBytes(StandardCharsets.UTF_8), ctx.settings().maxTextBytes()) && last) {
            session.onText(fragments.toString(StandardCharsets.UTF_8));
        }
        finishFragment(last, false);
    }

    @Override
    public void onMessage(WsSession ws, BufferData buffer, boolean last) {
        byte[] bytes = new byte[buffer.available()];
        buffer.read(bytes);
        if (last && fragments == null) {
            session.onBinary(bytes);
            return;
        }
        if (append(bytes, ctx.settings().maxBinaryBytes()) && last) {
            session.onBinary(fragments.toByteArray());
        }
        finishFragment(last, true);
    }

    /** Collects a fragment; false once the message has grown past the limit. */
    private boolean append(byte[] bytes, int limit) {
        if (fragments == null) {
            fragments = new ByteArrayOutputStream();
            fragmentTooLarge = false;
        }
        if (fragmentTooLarge || fragments.size() + bytes.length > limit) {
            fragmentTooLarge = true;
            return false;
        }
        fragments.writeBytes(bytes);
        return true;
    }

    private void finishFragment(boolean last, boolean binary) {
        if (!last) {
            return;
        }
        if (fragmentTooLarge) {
            session.onOversized(binary);
        }
        fragments = null;
    }

    @Override
    public void onClose(WsSession ws, int status, String reason) {
        if (session != null) {
            session.onClientGone();
        }
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
        if (session != null) {
            session.onClientGone();
        }
    }
}

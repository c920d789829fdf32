package dev.earshot.ws;

import dev.earshot.auth.Principal;
import dev.earshot.auth.Quotas;
import dev.earshot.session.Session;
import dev.earshot.session.SessionContext;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.webserver.spi.ServerConnection;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * One protocol v1 WebSocket connection after the upgrade: the data path's first step. Its
 * thread (the connection's virtual thread) reads what the socket returns, decodes the frames and
 * hands each whole message to the {@link Session} — audio goes on to Riva from this same thread.
 * Fragmented messages are joined here, up to the same limits as whole ones.
 *
 * <p>The connection knows the moment its client is gone (end of stream or a read error) and tells
 * the session at once. After either side has sent a close frame, data frames are ignored until the
 * client answers the close or the {@link WsSessionSocket} gives up waiting.
 */
final class TranscribeConnection implements ServerConnection, WsFrameDecoder.Handler {
    private static final System.Logger LOG = System.getLogger(TranscribeConnection.class.getName());

    private final HelidonSocket socket;
    private final DataReader handshakeReader;
    private final SessionContext ctx;
    private final WsSessionSocket out;
    private final Session session;
    private final Quotas.Lease lease;
    private final WsFrameDecoder decoder = new WsFrameDecoder();
    private volatile long lastReadNanos = System.nanoTime();
    private ByteArrayOutputStream fragments;
    private int fragmentsOpcode;
    private boolean clientClosed;

    TranscribeConnection(
            HelidonSocket socket,
            DataReader handshakeReader,
            String sessionId,
            SessionContext ctx,
            Principal owner,
            Quotas.Lease lease) {
        this.socket = socket;
        this.handshakeReader = handshakeReader;
        this.ctx = ctx;
        this.out = new WsSessionSocket(socket);
        this.session = new Session(sessionId, owner.id(), out, ctx);
        this.lease = lease;
    }

    /**
     * The connection's life, on the connection's virtual thread (Helidon calls this overload; the
     * {@code Semaphore} one is deprecated for removal). Upgraded connections take no part in
     * Helidon's request limits: a session's admission is the {@code SessionRegistry}'s.
     */
    @Override
    public void handle(Limit requestLimit) {
        try {
            session.open();
            int early = handshakeReader.available(); // frames sent right behind the handshake
            if (early > 0) {
                byte[] bytes = handshakeReader.readBytes(early);
                decoder.feed(bytes, 0, bytes.length, this);
            }
            while (!clientClosed) {
                byte[] bytes = socket.get();
                if (bytes == null) {
                    break;
                }
                lastReadNanos = System.nanoTime();
                decoder.feed(bytes, 0, bytes.length, this);
            }
        } catch (WsProtocolException e) {
            LOG.log(Level.DEBUG, "session=" + session.id() + " protocol error: " + e.getMessage());
            out.close(e.closeCode(), e.getMessage());
        } catch (UncheckedIOException e) {
            LOG.log(Level.DEBUG, "session=" + session.id() + " connection lost: " + e);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "session=" + session.id() + " failed", e);
            out.close(CloseCodes.INTERNAL, "internal error");
        } finally {
            out.connectionEnded();
            session.onClientGone();
            lease.close(); // the principal's quota slot lives as long as the connection
        }
    }

    @Override
    public long maxPayload(int opcode) {
        return switch (opcode) {
            case WsOpcodes.TEXT -> ctx.settings().maxTextBytes();
            case WsOpcodes.BINARY -> ctx.settings().maxBinaryBytes();
            case WsOpcodes.CONTINUATION -> {
                if (fragments == null) { // refused before its payload is read
                    throw new WsProtocolException(CloseCodes.PROTOCOL_ERROR, "continuation without a message");
                }
                yield maxPayload(fragmentsOpcode) - fragments.size();
            }
            default -> 125;
        };
    }

    @Override
    public void onOversized(int opcode) {
        boolean binary = (opcode == WsOpcodes.CONTINUATION ? fragmentsOpcode : opcode) == WsOpcodes.BINARY;
        fragments = null;
        session.onOversized(binary);
    }

    @Override
    public void onFrame(int opcode, boolean fin, byte[] bytes, int offset, int length) {
        switch (opcode) {
            case WsOpcodes.TEXT, WsOpcodes.BINARY -> {
                if (fragments != null) {
                    throw new WsProtocolException(CloseCodes.PROTOCOL_ERROR, "expected a continuation frame");
                }
                if (fin) {
                    deliver(opcode, bytes, offset, length);
                } else {
                    fragments = new ByteArrayOutputStream(length * 2);
                    fragmentsOpcode = opcode;
                    fragments.write(bytes, offset, length);
                }
            }
            case WsOpcodes.CONTINUATION -> {
                if (fragments == null) {
                    throw new WsProtocolException(CloseCodes.PROTOCOL_ERROR, "continuation without a message");
                }
                fragments.write(bytes, offset, length);
                if (fin) {
                    byte[] whole = fragments.toByteArray();
                    fragments = null;
                    deliver(fragmentsOpcode, whole, 0, whole.length);
                }
            }
            case WsOpcodes.PING -> out.pong(Arrays.copyOfRange(bytes, offset, offset + length));
            case WsOpcodes.CLOSE -> {
                clientClosed = true;
                out.answerClose(closeCode(bytes, offset, length));
            }
            default -> { // a pong: nothing to do
            }
        }
    }

    private void deliver(int opcode, byte[] bytes, int offset, int length) {
        if (out.closeSent()) {
            return; // the session is over: only the close handshake is left
        }
        if (opcode == WsOpcodes.BINARY) {
            session.onBinary(bytes, offset, length);
        } else {
            session.onText(utf8(bytes, offset, length));
        }
    }

    private static String utf8(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new WsProtocolException(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
        }
    }

    /** The status code of a client's close frame, echoed in the answer (1000 when it has none). */
    private static int closeCode(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return CloseCodes.NORMAL;
        }
        if (length == 1) {
            throw new WsProtocolException(CloseCodes.PROTOCOL_ERROR, "close frame with a 1-byte payload");
        }
        int code = (bytes[offset] & 0xFF) << 8 | (bytes[offset + 1] & 0xFF);
        return code >= 1000 && code <= 4999 && code != 1005 && code != 1006 && code != 1015 ? code : CloseCodes.NORMAL;
    }

    @Override
    public Duration idleTime() {
        return Duration.ofNanos(System.nanoTime() - lastReadNanos);
    }

    @Override
    public void close(boolean interrupt) {
        out.closeNow();
    }
}

package dev.earshot.ws;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One protocol v1 WebSocket connection after the upgrade: the data path's first step. Its
 * thread (the connection's virtual thread) reads what the socket returns, decodes the frames and
 * hands each whole message to the {@link Session} — audio goes on to Riva from this same thread.
 * Fragmented messages are joined here, up to the same limits as whole ones; text is checked for
 * UTF-8 fragment by fragment ({@link Utf8Validator}), and the fragmentation and close-frame rules
 * of RFC 6455 (sections 5.4, 5.5.1, 7.4) end the connection with 1002 or 1007 when broken.
 *
 * <p>The connection knows the moment its client is gone (end of stream or a read error) and tells
 * the session at once, and whether it went cleanly: a connection that drops without a close frame
 * (or closes with 1001) leaves a protocol v1 session waiting to be resumed. After either side has sent a close frame, data frames are ignored until the
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
    private final OptionalLong resumeAfter;
    private final WsFrameDecoder decoder = new WsFrameDecoder();
    private final Utf8Validator utf8 = new Utf8Validator();
    private volatile long lastReadNanos = System.nanoTime();
    private ByteArrayOutputStream fragments;
    private int fragmentsOpcode;
    private boolean clientClosed;
    private boolean dropped = true; // until the client's close frame says otherwise

    /**
     * @param sessions builds the connection's session, given the socket it writes to
     * @param lease    the principal's quota slot, given back when the session ends
     * @param resumeAfter for a connection that resumes an existing session, the last event its
     *                 client saw; empty for a new session
     */
    TranscribeConnection(
            HelidonSocket socket,
            DataReader handshakeReader,
            SessionContext ctx,
            Function<WebSocketOut, Session> sessions,
            Quotas.Lease lease,
            OptionalLong resumeAfter) {
        this.socket = socket;
        this.handshakeReader = handshakeReader;
        this.ctx = ctx;
        this.out = new WsSessionSocket(socket);
        this.session = sessions.apply(out);
        this.lease = lease;
        this.resumeAfter = resumeAfter;
    }

    /**
     * The connection's life, on the connection's virtual thread (Helidon calls this overload; the
     * {@code Semaphore} one is deprecated for removal). Upgraded connections take no part in
     * Helidon's request limits: a session's admission is the {@code SessionRegistry}'s.
     */
    @Override
    public void handle(Limit requestLimit) {
        try {
            if (resumeAfter.isPresent()) {
                session.resume(out, resumeAfter.getAsLong());
            } else {
                session.onEnd(lease::close); // a session that waits for a resume keeps its quota slot
                session.open();
            }
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
            dropped = false;
            LOG.log(Level.DEBUG, "session=" + session.id() + " protocol error: " + e.getMessage());
            out.close(e.closeCode(), e.getMessage());
        } catch (UncheckedIOException e) {
            LOG.log(Level.DEBUG, "session=" + session.id() + " connection lost: " + e);
        } catch (RuntimeException e) {
            dropped = false;
            LOG.log(Level.ERROR, "session=" + session.id() + " failed", e);
            out.close(CloseCodes.INTERNAL, "internal error");
        } finally {
            out.connectionEnded();
            session.onClientGone(out, dropped);
        }
    }

    @Override
    public long maxPayload(int opcode) {
        // the fragmentation rules are checked here, on the header, before any payload is read
        return switch (opcode) {
            case WsOpcodes.TEXT, WsOpcodes.BINARY -> {
                if (fragments != null) {
                    throw interleaved();
                }
                yield maxMessage(opcode);
            }
            case WsOpcodes.CONTINUATION -> {
                if (fragments == null) {
                    throw new WsProtocolException(CloseCodes.PROTOCOL_ERROR, "continuation without a message");
                }
                yield maxMessage(fragmentsOpcode) - fragments.size();
            }
            default -> 125;
        };
    }

    private long maxMessage(int opcode) {
        return opcode == WsOpcodes.TEXT
                ? ctx.settings().maxTextBytes()
                : ctx.settings().maxBinaryBytes();
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
                    throw interleaved();
                }
                if (opcode == WsOpcodes.TEXT) {
                    utf8.reset();
                    checkUtf8(bytes, offset, length, fin);
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
                if (fragmentsOpcode == WsOpcodes.TEXT) {
                    checkUtf8(bytes, offset, length, fin);
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
                int code = closeCode(bytes, offset, length);
                dropped = code == CloseCodes.GOING_AWAY; // a page closing or navigating away may come back
                out.answerClose(code);
            }
            default -> { // a pong: nothing to do
            }
        }
    }

    private static WsProtocolException interleaved() {
        return new WsProtocolException(
                CloseCodes.PROTOCOL_ERROR, "a new message began before the fragmented one was finished");
    }

    /** Checks a text message's next fragment, so that bad UTF-8 is caught in the fragment where it goes wrong. */
    private void checkUtf8(byte[] bytes, int offset, int length, boolean fin) {
        if (!utf8.feed(bytes, offset, length) || fin && !utf8.complete()) {
            throw new WsProtocolException(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
        }
    }

    private void deliver(int opcode, byte[] bytes, int offset, int length) {
        if (out.closeSent()) {
            return; // the session is over: only the close handshake is left
        }
        if (!session.enter(out)) { // a resume took the session over: this connection is done
            clientClosed = true;
            out.closeNow();
            return;
        }
        try {
            if (opcode == WsOpcodes.BINARY) {
                session.onBinary(bytes, offset, length);
            } else {
                session.onText(new String(bytes, offset, length, StandardCharsets.UTF_8)); // checked on arrival
            }
        } finally {
            session.exit();
        }
    }

    /**
     * The status code of a client's close frame, echoed in the answer (1000 when it has none).
     * A code no peer may send is a protocol error (1002), a reason that is not UTF-8 an invalid
     * payload (1007): RFC 6455 sections 5.5.1, 7.4 and 8.1.
     */
    private static int closeCode(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return CloseCodes.NORMAL;
        }
        if (length == 1) {
            throw new WsProtocolException(CloseCodes.PROTOCOL_ERROR, "close frame with a 1-byte payload");
        }
        int code = (bytes[offset] & 0xFF) << 8 | (bytes[offset + 1] & 0xFF);
        if (!CloseCodes.maySend(code)) {
            throw new WsProtocolException(CloseCodes.PROTOCOL_ERROR, "close code " + code + " may not be sent");
        }
        if (!Utf8Validator.isValid(bytes, offset + 2, length - 2)) {
            throw new WsProtocolException(CloseCodes.INVALID_PAYLOAD, "close reason is not valid UTF-8");
        }
        return code;
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

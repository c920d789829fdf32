package dev.earshot.loadtest;

import dev.earshot.ws.WsOpcodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.BitSet;

/**
 * One load-test session as a state machine driven by its event loop: it waits for its opening
 * time, connects without blocking, upgrades, starts, streams its chunks when due (or only
 * keepalives, in hold mode), stops, and closes. Every state has a deadline, so a session always
 * ends, and each session is counted exactly once: established (then completed or an error),
 * refused by the gateway (by code), or an error before it started (by code).
 *
 * <p>Against the synthetic recognizer the answer to chunk N says {@code chunk N}; the time from
 * writing chunk N to reading its first answer is the chunk's latency, and the time from when the
 * chunk was due to when it was written is the tool's own send lag.
 */
final class Connection extends TimerQueue.Entry implements FrameCodec.FrameHandler {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    /** At most this many overdue chunks per turn, so one late session cannot starve the others. */
    private static final int BATCH = 16;

    private static final long KEEPALIVE_NANOS = 10_000_000_000L;

    /**
     * What every session of a run does.
     *
     * @param address       the gateway
     * @param authority     its {@code host:port}, for the Host header
     * @param basePath      the endpoint; the session id is appended
     * @param chunks        chunks per session (0 in hold mode)
     * @param holdNanos     in hold mode, how long to hold (else 0)
     * @param intervalNanos time between chunks, 0 for as fast as possible
     * @param timeouts      the deadlines
     */
    record Plan(
            InetSocketAddress address,
            String authority,
            String basePath,
            int chunks,
            long holdNanos,
            long intervalNanos,
            Timeouts timeouts) {
        boolean hold() {
            return holdNanos > 0;
        }
    }

    private enum State {
        WAITING,
        CONNECTING,
        HANDSHAKING,
        STARTING,
        STREAMING,
        HOLDING,
        STOPPING,
        CLOSING,
        DONE
    }

    private final EventLoop loop;
    private final Plan plan;
    private final String id;
    private final long openAt;
    private final LoadStats stats;
    private final FrameReader reader = new FrameReader();
    /** Write time of chunk N (from 1, as the gateway numbers them). */
    private final long[] sentAt;

    private final BitSet answered;
    private int answeredCount;

    private State state = State.WAITING;
    private SocketChannel channel;
    private SelectionKey key;
    private Handshake handshake;
    /** Frames the socket has not taken yet (null until a write is partial). */
    private ArrayDeque<ByteBuffer> out;

    private long stalledSince;
    private Pacer pacer;
    private int next;
    private long stopSentAt;
    private long holdEnd;
    private long readAt;
    private boolean established;
    private boolean counted;
    private boolean closeSent;
    private ByteArrayOutputStream fragments;

    Connection(EventLoop loop, Plan plan, String id, long openAt, LoadStats stats) {
        this.loop = loop;
        this.plan = plan;
        this.id = id;
        this.openAt = openAt;
        this.stats = stats;
        this.sentAt = new long[plan.chunks() + 1];
        this.answered = new BitSet(plan.chunks() + 1);
    }

    long openAt() {
        return openAt;
    }

    boolean done() {
        return state == State.DONE;
    }

    /** The timer fired: open, send due chunks or a keepalive, or give up on a deadline. */
    void onTimer(long now) {
        try {
            switch (state) {
                case WAITING -> open(now);
                case CONNECTING -> fail("connect_timeout");
                case HANDSHAKING -> fail("handshake_timeout");
                case STARTING -> fail("start_timeout");
                case STREAMING -> {
                    if (stalled()) {
                        if (now - stalledSince >= plan.timeouts().write().toNanos()) {
                            fail("write_timeout");
                        } else {
                            loop.schedule(
                                    this, stalledSince + plan.timeouts().write().toNanos());
                        }
                    } else {
                        sendDue(now);
                    }
                }
                case HOLDING -> hold(now);
                case STOPPING -> fail("stop_timeout");
                case CLOSING -> fail("close_timeout");
                case DONE -> {}
            }
        } catch (IOException e) {
            fail(code(e));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "session " + id + " failed", e);
            fail("internal");
        }
    }

    /** The selector reported the socket ready. */
    void onReady(SelectionKey k) {
        try {
            int ops = k.readyOps();
            if ((ops & SelectionKey.OP_CONNECT) != 0) {
                connected();
            }
            if ((ops & SelectionKey.OP_WRITE) != 0 && state != State.DONE) {
                flush();
                if (state == State.STREAMING && !stalled()) {
                    sendDue(System.nanoTime());
                }
            }
            if ((ops & SelectionKey.OP_READ) != 0 && state != State.DONE) {
                readable();
            }
        } catch (IOException e) {
            fail(code(e));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "session " + id + " failed", e);
            fail("internal");
        }
    }

    private void open(long now) throws IOException {
        state = State.CONNECTING;
        loop.schedule(this, now + plan.timeouts().connect().toNanos());
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        key = channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
        if (channel.connect(plan.address())) {
            connected();
        }
    }

    private void connected() throws IOException {
        channel.finishConnect();
        key.interestOps(SelectionKey.OP_READ);
        state = State.HANDSHAKING;
        handshake = new Handshake(loop.random());
        send(handshake.request(plan.authority(), plan.basePath() + "/" + id));
    }

    private void readable() throws IOException {
        readAt = System.nanoTime();
        if (state == State.HANDSHAKING) {
            ByteBuffer in = loop.readBuffer().clear();
            if (channel.read(in) < 0) {
                fail("connection_closed");
                return;
            }
            in.flip();
            Handshake.Result answer = handshake.offer(in);
            if (answer == null) {
                return;
            }
            handshake = null;
            if (answer.status() != 101) {
                refuse("http_" + answer.status());
                finish();
                return;
            }
            if (!answer.acceptValid()) {
                fail("bad_accept");
                return;
            }
            state = State.STARTING;
            loop.schedule(this, readAt + plan.timeouts().start().toNanos());
            send(loop.frames().start());
            if (in.hasRemaining()) {
                reader.process(in, this);
            }
            return;
        }
        if (reader.read(channel, loop.readBuffer(), this) < 0) {
            if (state == State.CLOSING) {
                finish();
            } else {
                fail("connection_closed");
            }
        }
    }

    @Override
    public boolean onFrame(int opcode, boolean fin, ByteBuffer buf, int offset, int length) throws ProtocolException {
        try {
            switch (opcode) {
                case WsOpcodes.TEXT -> {
                    if (fin) {
                        onText(buf, offset, offset + length);
                    } else {
                        fragments = new ByteArrayOutputStream(Math.max(256, length * 2));
                        append(buf, offset, length);
                    }
                }
                case WsOpcodes.CONTINUATION -> {
                    if (fragments == null) {
                        throw new ProtocolException("continuation without a first frame");
                    }
                    append(buf, offset, length);
                    if (fin) {
                        ByteBuffer whole = ByteBuffer.wrap(fragments.toByteArray());
                        fragments = null;
                        onText(whole, 0, whole.limit());
                    }
                }
                case WsOpcodes.PING -> send(loop.frames().pong(buf, offset, length));
                case WsOpcodes.CLOSE -> onClose(length >= 2 ? buf.getShort(offset) & 0xFFFF : 1005);
                default -> {
                    // binary frames and pongs carry nothing the tool needs
                }
            }
        } catch (ProtocolException e) {
            throw e;
        } catch (IOException e) {
            fail(code(e));
        }
        return state != State.DONE;
    }

    private void append(ByteBuffer buf, int offset, int length) {
        byte[] bytes = new byte[length];
        buf.get(offset, bytes);
        fragments.writeBytes(bytes);
    }

    private void onText(ByteBuffer buf, int from, int to) throws IOException {
        stats.messagesReceived.increment();
        switch (EventScanner.event(buf, from, to)) {
            case EventScanner.TRANSCRIPT -> {
                int n = EventScanner.chunk(buf, from, to);
                if (n > 0 && n < sentAt.length && sentAt[n] != 0 && !answered.get(n)) {
                    answered.set(n);
                    answeredCount++;
                    stats.chunkLatency.record((readAt - sentAt[n]) / 1000);
                }
            }
            case EventScanner.STARTED -> started();
            case EventScanner.STOPPED -> stopped();
            case EventScanner.ERROR -> ended(EventScanner.code(buf, from, to));
            case EventScanner.GOING_AWAY -> ended("going_away");
            default -> {}
        }
    }

    private void started() throws IOException {
        if (state != State.STARTING) {
            return;
        }
        established = true;
        stats.established.incrementAndGet();
        stats.decided.incrementAndGet();
        stats.active.incrementAndGet();
        if (plan.hold()) {
            state = State.HOLDING;
            holdEnd = readAt + plan.holdNanos();
            loop.schedule(this, Math.min(readAt + KEEPALIVE_NANOS, holdEnd));
        } else {
            state = State.STREAMING;
            pacer = new Pacer(readAt, plan.intervalNanos());
            loop.schedule(this, pacer.due(0));
        }
    }

    /** Writes the chunks that are due, as long as the socket takes them. */
    private void sendDue(long now) throws IOException {
        for (int sent = 0; next < plan.chunks() && !stalled(); sent++) {
            long due = pacer.due(next);
            if (due - now > 0) {
                loop.schedule(this, due);
                return;
            }
            if (sent == BATCH) {
                loop.schedule(this, now + 1); // after the other sessions' turn
                return;
            }
            long t = System.nanoTime();
            sentAt[next + 1] = t;
            send(loop.frames().audio(next));
            stats.chunksSent.increment();
            if (plan.intervalNanos() > 0) {
                stats.sendLag.record((t - due) / 1000);
            }
            next++;
            now = t;
        }
        if (stalled()) {
            loop.schedule(this, stalledSince + plan.timeouts().write().toNanos());
        } else {
            stop(now);
        }
    }

    private void hold(long now) throws IOException {
        if (now - holdEnd >= 0) {
            stop(now);
        } else {
            send(loop.frames().keepalive());
            loop.schedule(this, Math.min(now + KEEPALIVE_NANOS, holdEnd));
        }
    }

    private void stop(long now) throws IOException {
        state = State.STOPPING;
        stopSentAt = now;
        loop.schedule(this, now + plan.timeouts().stop().toNanos());
        send(loop.frames().stop());
    }

    private void stopped() throws IOException {
        if (state != State.STOPPING) {
            return;
        }
        if (!plan.hold()) {
            stats.stopLatency.record((readAt - stopSentAt) / 1000);
            if (answeredCount < plan.chunks()) {
                stats.sessionsMissingResults.incrementAndGet();
            }
        }
        stats.completed.incrementAndGet();
        counted = true;
        closing();
    }

    /** An {@code error} or {@code going_away}: a refusal before the start, an error after it. */
    private void ended(String code) throws IOException {
        if (state == State.STARTING) {
            refuse(code);
        } else if (!counted) {
            stats.error(code);
            counted = true;
        }
        if (state != State.CLOSING) {
            state = State.CLOSING;
            loop.schedule(this, readAt + plan.timeouts().close().toNanos());
        }
    }

    /** Sends our close frame and waits for the gateway's. */
    private void closing() throws IOException {
        state = State.CLOSING;
        loop.schedule(this, readAt + plan.timeouts().close().toNanos());
        if (!closeSent) {
            closeSent = true;
            send(loop.frames().close());
        }
    }

    private void onClose(int status) throws IOException {
        if (!counted) {
            if (established) {
                stats.error("closed_" + status);
                counted = true;
            } else {
                refuse("closed_" + status);
            }
        }
        if (!closeSent) {
            closeSent = true;
            send(loop.frames().close());
        }
        finish();
    }

    private void refuse(String code) {
        if (!counted) {
            stats.refused(code);
            stats.decided.incrementAndGet();
            counted = true;
        }
    }

    /**
     * Counts an error, unless the session's outcome is already counted (a slow closing handshake
     * after {@code transcription_stopped} or after an error is not another error), and ends it.
     */
    void fail(String code) {
        if (!counted) {
            stats.error(code);
            if (!established) {
                stats.decided.incrementAndGet();
            }
            counted = true;
        }
        finish();
    }

    /** Closes the socket and leaves the loop. Idempotent. */
    void finish() {
        if (state == State.DONE) {
            return;
        }
        if (established) {
            stats.active.decrementAndGet();
        }
        state = State.DONE;
        loop.cancel(this);
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        loop.finished(this);
    }

    private boolean stalled() {
        return out != null && !out.isEmpty();
    }

    /** Writes a frame, or queues it behind the ones the socket has not taken yet; never blocks. */
    private void send(ByteBuffer frame) throws IOException {
        if (stalled()) {
            out.add(frame);
            return;
        }
        channel.write(frame);
        if (frame.hasRemaining()) {
            if (out == null) {
                out = new ArrayDeque<>(4);
            }
            out.add(frame);
            stalledSince = System.nanoTime();
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    private void flush() throws IOException {
        while (stalled()) {
            ByteBuffer head = out.peek();
            channel.write(head);
            if (head.hasRemaining()) {
                return;
            }
            out.poll();
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    private static String code(IOException e) {
        if (e instanceof ConnectException) {
            return "connect_failed";
        }
        if (e instanceof ProtocolException) {
            return "protocol_error";
        }
        return "connection_error";
    }
}

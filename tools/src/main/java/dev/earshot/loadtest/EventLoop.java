package dev.earshot.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One platform thread with one {@link Selector} that runs many sessions: it fires the sessions'
 * timers (opening times, chunks due, keepalives, deadlines) in due order, and selects for at most
 * the time to the next one. A thread per session — or a JDK WebSocket per session — costs the
 * load tool about as much CPU per chunk as the gateway it measures; a loop costs a syscall or two.
 * Everything a session touches belongs to its loop, so sessions need no locks; only the shared
 * counters in {@link LoadStats} are crossed between loops.
 */
final class EventLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final String name;
    private final Selector selector;
    private final TimerQueue timers = new TimerQueue();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final LoopFrames frames;
    private final RandomGenerator random;
    private final List<Connection> connections = new ArrayList<>();
    private int live;
    private Thread thread;

    EventLoop(String name, LoopFrames frames, RandomGenerator random) {
        this.name = name;
        this.frames = frames;
        this.random = random;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a session before the loop starts; it opens at its {@link Connection#openAt()}. */
    void add(Connection c) {
        connections.add(c);
        live++;
        timers.schedule(c, c.openAt());
    }

    void start() {
        thread = Thread.ofPlatform().name(name).start(this);
    }

    void join() throws InterruptedException {
        thread.join();
    }

    @Override
    public void run() {
        try {
            while (live > 0) {
                long now = System.nanoTime();
                TimerQueue.Entry due;
                while ((due = timers.pollDue(now)) != null) {
                    ((Connection) due).onTimer(now);
                }
                if (live == 0) {
                    break;
                }
                long wait = timers.nextDue() - System.nanoTime();
                if (wait <= 0) {
                    selector.selectNow(this::ready);
                } else {
                    // ms resolution: round up, a chunk is never sent early
                    selector.select(this::ready, Math.min(1000, (wait + 999_999) / 1_000_000));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, name + " failed; its open sessions are ended", e);
        } finally {
            for (Connection c : connections) {
                if (!c.done()) {
                    c.fail("aborted");
                }
            }
            try {
                selector.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void ready(SelectionKey key) {
        ((Connection) key.attachment()).onReady(key);
    }

    void schedule(Connection c, long due) {
        timers.schedule(c, due);
    }

    void cancel(Connection c) {
        timers.cancel(c);
    }

    /** A session ended. */
    void finished(Connection c) {
        live--;
    }

    Selector selector() {
        return selector;
    }

    /** The loop's read buffer, shared by all its sessions (only within one call). */
    ByteBuffer readBuffer() {
        return readBuffer;
    }

    LoopFrames frames() {
        return frames;
    }

    RandomGenerator random() {
        return random;
    }
}

package dev.earshot.session;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Carries what one Riva stream sends back to the session that writes it to the client, in
 * order, on a thread that may block on the client's socket.
 *
 * <p>Riva's answers arrive on two kinds of thread. An external Riva answers on gRPC's event
 * loop, which serves every session and must never wait for one client's socket: those answers
 * are queued and a virtual thread of this stream's own (started with the first of them) writes
 * them. The recognizer embedded in this process often answers inside the call that sent the
 * audio, on the session's socket thread: those answers are queued without waking anyone, and the
 * socket thread writes them itself once its call returns ({@link #deliverPending()}), which saves
 * two thread switches per audio chunk. Whoever writes holds one lock and takes events from the
 * queue only while holding it, so events reach the client in the order they arrived.
 *
 * <p>Producers never block: adding is a lock-free queue insert and at most an unpark.
 *
 * @param <E> the events carried
 */
final class ResultRelay<E> {
    private final ConcurrentLinkedQueue<E> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();
    private final Thread owner;
    private final Consumer<E> handler;
    private final String pumpName;
    private volatile Thread pump;
    private volatile boolean closed;

    /**
     * @param owner    the thread that calls {@link #deliverPending()} after each call into Riva
     * @param pumpName name of the virtual thread started for events from other threads
     * @param handler  writes one event; runs on the owner or the pump, never on a producer's thread
     */
    ResultRelay(Thread owner, String pumpName, Consumer<E> handler) {
        this.owner = owner;
        this.pumpName = pumpName;
        this.handler = handler;
    }

    /** Queues an event; from any thread but the owner, wakes the pump to write it. */
    void offer(E event) {
        queue.add(event);
        if (Thread.currentThread() != owner) {
            wakePump();
        }
    }

    /** Writes what was queued on the owner's own thread. Call on the owner after calls into Riva. */
    void deliverPending() {
        if (!queue.isEmpty()) {
            drain();
        }
    }

    /** Stops delivering: queued events are dropped and the pump, if any, ends. */
    void close() {
        closed = true;
        queue.clear();
        Thread t = pump;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void wakePump() {
        Thread t = pump;
        if (t == null) {
            synchronized (this) { // once per stream, never held while blocking
                t = pump;
                if (t == null) {
                    t = Thread.ofVirtual().name(pumpName).unstarted(this::pumpLoop);
                    pump = t;
                    t.start();
                    return;
                }
            }
        }
        LockSupport.unpark(t);
    }

    private void pumpLoop() {
        while (!closed) {
            drain();
            if (queue.isEmpty() && !closed) {
                LockSupport.park(this); // an unpark that came first makes this return at once
            }
        }
    }

    private void drain() {
        writing.lock();
        try {
            E event;
            while (!closed && (event = queue.poll()) != null) {
                handler.accept(event);
            }
        } finally {
            writing.unlock();
        }
    }
}

package dev.earshot.session;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every open session by id, with the hard limit {@code sessions.max}. Admission is atomic:
 * the slot is taken before the id is claimed, so a burst of connections can never overshoot the
 * limit, and a refused session leaves the others untouched.
 */
public final class SessionRegistry {

    /** The answer to a session that asks to be admitted. */
    public enum Admission {
        ADMITTED,
        DUPLICATE_ID,
        FULL,
        DRAINING
    }

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int max;
    private volatile boolean draining;

    public SessionRegistry(int max) {
        this.max = max;
    }

    /** Claims a slot and the id for {@code session}. */
    public Admission admit(String id, Session session) {
        if (draining) {
            return Admission.DRAINING;
        }
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            return Admission.FULL;
        }
        if (sessions.putIfAbsent(id, session) != null) {
            count.decrementAndGet();
            return Admission.DUPLICATE_ID;
        }
        return Admission.ADMITTED;
    }

    /** Releases the session's slot and id (only if it still holds them). */
    public void remove(String id, Session session) {
        if (sessions.remove(id, session)) {
            count.decrementAndGet();
        }
    }

    /** The open session with this id, if any. */
    public Optional<Session> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** Sessions open right now. */
    public int active() {
        return count.get();
    }

    /** The hard limit. */
    public int capacity() {
        return max;
    }

    /** A snapshot of the open sessions. */
    public Collection<Session> sessions() {
        return List.copyOf(sessions.values());
    }

    /** From now on every new session is refused. */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }
}

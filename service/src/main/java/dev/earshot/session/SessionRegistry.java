package dev.earshot.session;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every open session by id, with the hard limit {@code sessions.max}. Admission is atomic:
 * the slot is taken before the id is claimed, so a burst of connections can never overshoot the
 * limit, and a refused session leaves the others untouched.
 *
 * <p>Draining refuses every new session while live ones go on. It has two causes: an operator
 * asking the replica to drain ({@link #drain}, which {@link #undrain} takes back, because the load
 * can come back before the live sessions have ended) and shutdown ({@link #startShutdown}, which
 * nothing takes back). Both count from the moment draining began, so a replica drained for a
 * while and then sent SIGTERM only has what is left of its drain time.
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
    private final InstantSource clock;
    private final Object drainLock = new Object();
    /** When draining began, or null while sessions are admitted. */
    private volatile Instant drainingSince;

    private volatile boolean shuttingDown;

    /** A registry on the system clock. */
    public SessionRegistry(int max) {
        this(max, InstantSource.system());
    }

    /**
     * @param max   the hard limit {@code sessions.max}
     * @param clock measures how long this replica has been draining
     */
    public SessionRegistry(int max, InstantSource clock) {
        this.max = max;
        this.clock = clock;
    }

    /** Claims a slot and the id for {@code session}. */
    public Admission admit(String id, Session session) {
        if (drainingSince != null) {
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

    /**
     * From now on every new session is refused, until {@link #undrain}; a replica that already
     * drains keeps the time it began.
     *
     * @return true when this call started the drain
     */
    public boolean drain() {
        synchronized (drainLock) {
            if (drainingSince != null) {
                return false;
            }
            drainingSince = clock.instant();
            return true;
        }
    }

    /**
     * Admits new sessions again, unless the replica is shutting down.
     *
     * @return false while shutting down (the drain stays), true otherwise
     */
    public boolean undrain() {
        synchronized (drainLock) {
            if (shuttingDown) {
                return false;
            }
            drainingSince = null;
            return true;
        }
    }

    /** Drains for good: the process is going away, and {@link #undrain} no longer admits sessions. */
    public void startShutdown() {
        synchronized (drainLock) {
            shuttingDown = true;
            if (drainingSince == null) {
                drainingSince = clock.instant();
            }
        }
    }

    /** Whether new sessions are refused. */
    public boolean draining() {
        return drainingSince != null;
    }

    /** How long this replica has been draining; zero when it is not. */
    public Duration drainingFor() {
        Instant since = drainingSince;
        return since == null ? Duration.ZERO : Duration.between(since, clock.instant());
    }
}

package dev.earshot.session;

import java.time.Duration;

/**
 * When a session moves to a new Riva stream because its backend limits how long one stream may
 * last ({@code riva.max-stream-duration}; NVIDIA's cloud and other hosted backends end a stream
 * after a few minutes). Left to the backend, the stream would be cut wherever it stood, maybe
 * mid-word, and the session would have to recover from an error. Moved by the session, it changes
 * streams where nothing is lost and nothing is heard twice: just after a final result, with the
 * audio after that final's last word given to the next stream first.
 *
 * <ul>
 *   <li>From three quarters of the limit on, the first final moves the session
 *       ({@link #dueAtFinal}): a quarter of the limit (75 s of a 5 min limit) is room for many
 *       utterances.</li>
 *   <li>With no final by nine tenths of the limit (one long utterance without a pause), the stream
 *       is replaced anyway and the audio no final covered is replayed to the next one
 *       ({@link #dueAnyway}), unless that audio is more than half the limit: the next stream
 *       could then not get further before its own limit, so the backend's limit is left to act
 *       and the session recovers as from any failure.</li>
 * </ul>
 *
 * A stream's age is the longer of the time since it opened and the audio it was sent (a client
 * may send faster than real time, or pause).
 *
 * @param limit the backend's limit; zero: none, streams are never moved
 */
record StreamRotation(Duration limit) {

    boolean enabled() {
        return !limit.isZero();
    }

    /** Whether a stream this old moves to a new one after the final it just sent. */
    boolean dueAtFinal(Duration age) {
        return enabled() && age.compareTo(limit.multipliedBy(3).dividedBy(4)) >= 0;
    }

    /**
     * Whether a stream this old, with this much audio that no final covered, is replaced now
     * without waiting for a final.
     */
    boolean dueAnyway(Duration age, Duration notFinal) {
        return enabled()
                && age.compareTo(limit.multipliedBy(9).dividedBy(10)) >= 0
                && notFinal.compareTo(limit.dividedBy(2)) <= 0;
    }

    /** The age of a stream opened {@code openedNanos} ago (by {@code nowNanos}) that was sent {@code audio}. */
    static Duration age(long openedNanos, long nowNanos, Duration audio) {
        Duration wall = Duration.ofNanos(nowNanos - openedNanos);
        return wall.compareTo(audio) >= 0 ? wall : audio;
    }
}

package dev.earshot.resume;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last events a session sent, numbered, so that a client whose socket dropped can be sent
 * again the ones it missed. A session cannot know which of them its client got before the drop
 * (TCP may have lost what was in flight), so it keeps the latest ones up to a size in bytes
 * ({@code sessions.resume-buffer-bytes}): a client resuming after an event older than that cannot
 * be made whole and is told so ({@link #after} is empty).
 *
 * <p>An interim result is superseded by the next result: it is dropped from the log when a newer
 * one is logged, so the log holds finals and the other events, not the many interims between them,
 * and a resumed client is not shown interims that are already out of date. Not thread-safe: its
 * owner serializes the calls.
 */
public final class EventLog {
    private record Entry(long seq, String text) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final long maxChars;
    private long chars;
    private long lastSeq;
    private long evictedUpTo; // events up to this one may be missing for lack of room
    private Entry interim; // the latest interim, while no newer result has replaced it

    /** @param maxBytes how much text the log keeps (counted in chars: events are mostly ASCII) */
    public EventLog(long maxBytes) {
        this.maxChars = maxBytes;
    }

    /**
     * Logs event {@code seq} (one more than the last).
     *
     * @param result  whether it is a result: it supersedes the interim before it
     * @param interim whether it is an interim result, which the next result supersedes
     */
    public void append(long seq, String text, boolean result, boolean interim) {
        lastSeq = seq;
        if (result && this.interim != null) {
            // usually the last entry (one interim per audio chunk, little in between): taken off the
            // tail by identity. A search from the head, as remove(Object) does, compared every
            // event kept each time: 5 % of the gateway's CPU samples at 2,400 sessions
            if (entries.peekLast() == this.interim) {
                entries.pollLast();
            } else {
                entries.removeLastOccurrence(this.interim);
            }
            chars -= this.interim.text().length();
            this.interim = null;
        }
        Entry entry = new Entry(seq, text);
        entries.addLast(entry);
        chars += text.length();
        if (interim) {
            this.interim = entry;
        }
        while (chars > maxChars && !entries.isEmpty()) {
            Entry oldest = entries.removeFirst();
            chars -= oldest.text().length();
            evictedUpTo = oldest.seq();
            if (oldest == this.interim) {
                this.interim = null;
            }
        }
    }

    /** The number of the last event logged (0 before the first). */
    public long lastSeq() {
        return lastSeq;
    }

    /**
     * The events after {@code seq} still worth sending, oldest first; empty when some of them
     * are no longer kept, or {@code seq} is an event that was never sent.
     */
    public Optional<List<String>> after(long seq) {
        if (seq < evictedUpTo || seq > lastSeq || seq < 0) {
            return Optional.empty();
        }
        List<String> missed = new ArrayList<>();
        for (Entry e : entries) {
            if (e.seq() > seq) {
                missed.add(e.text());
            }
        }
        return Optional.of(missed);
    }
}

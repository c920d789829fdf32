package dev.earshot.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Chunks are due on a fixed schedule, and a loop takes its sessions in due order. */
class PacingTest {

    /** A timer entry with a name. */
    static final class Timer extends TimerQueue.Entry {
        final int id;

        Timer(int id) {
            this.id = id;
        }
    }

    @Test
    void chunksAreDueOnAFixedScheduleThatDoesNotDrift() {
        Pacer pacer = new Pacer(1_000_000_000L, 100_000_000L);
        assertEquals(1_000_000_000L, pacer.due(0));
        assertEquals(1_500_000_000L, pacer.due(5));
        assertEquals(61_000_000_000L, pacer.due(600));
        Pacer fast = new Pacer(7, 0);
        assertEquals(7, fast.due(1_000_000), "as fast as possible: everything is due at once");
        Pacer wrapping = new Pacer(Long.MAX_VALUE - 50_000_000L, 100_000_000L);
        assertTrue(wrapping.due(1) - wrapping.due(0) == 100_000_000L, "nanoTime may wrap; differences hold");
    }

    @Test
    void entriesComeOutInDueOrder() {
        TimerQueue q = new TimerQueue();
        SplittableRandom random = new SplittableRandom(7);
        List<Timer> timers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Timer t = new Timer(i);
            timers.add(t);
            q.schedule(t, random.nextLong(1_000_000));
        }
        for (int i = 0; i < 1000; i += 3) {
            q.schedule(timers.get(i), random.nextLong(1_000_000)); // rescheduled, earlier or later
        }
        for (int i = 1; i < 1000; i += 10) {
            q.cancel(timers.get(i));
        }
        assertEquals(900, q.size());
        long last = Long.MIN_VALUE;
        int polled = 0;
        TimerQueue.Entry e;
        while ((e = q.pollDue(Long.MAX_VALUE - 1)) != null) {
            assertTrue(e.due() >= last, "in order");
            assertFalse(e.scheduled());
            assertTrue(((Timer) e).id % 10 != 1, "cancelled entries never come out");
            last = e.due();
            polled++;
        }
        assertEquals(900, polled);
        assertEquals(Long.MAX_VALUE, q.nextDue());
    }

    @Test
    void onlyDueEntriesArePolledAndAMovedEntryMovesTheHead() {
        TimerQueue q = new TimerQueue();
        Timer a = new Timer(1);
        Timer b = new Timer(2);
        q.schedule(a, 100);
        q.schedule(b, 200);
        assertNull(q.pollDue(99));
        assertEquals(100, q.nextDue());
        q.schedule(b, 50); // a session whose next chunk is due sooner
        assertEquals(50, q.nextDue());
        assertSame(b, q.pollDue(100));
        assertSame(a, q.pollDue(100));
        assertNull(q.pollDue(100));
        q.cancel(a); // not scheduled: nothing happens
        assertEquals(0, q.size());
    }
}

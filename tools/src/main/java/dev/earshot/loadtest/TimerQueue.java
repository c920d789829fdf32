package dev.earshot.loadtest;

import java.util.Arrays;

/**
 * The loop's sessions ordered by when each next needs attention (its next chunk, keepalive,
 * opening time or deadline): a binary min-heap in which every entry knows its slot, so a session
 * is rescheduled in O(log n) without a search — it is rescheduled after every chunk. The loop
 * selects with the time to the head as its timeout, so no thread sleeps per session.
 */
final class TimerQueue {
    private Entry[] heap = new Entry[64];
    private int size;

    /** Something with one timer: its due time and its place in the queue. */
    abstract static class Entry {
        private long due;
        private int slot = -1;

        /** When it is due, {@link System#nanoTime()} based (meaningful while scheduled). */
        final long due() {
            return due;
        }

        final boolean scheduled() {
            return slot >= 0;
        }
    }

    int size() {
        return size;
    }

    /** Schedules {@code e} at {@code due}, or moves it there when already scheduled. */
    void schedule(Entry e, long due) {
        e.due = due;
        if (e.slot < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            e.slot = size;
            heap[size++] = e;
        }
        if (!up(e.slot)) {
            down(e.slot);
        }
    }

    /** Removes {@code e} if scheduled. */
    void cancel(Entry e) {
        int slot = e.slot;
        if (slot < 0) {
            return;
        }
        e.slot = -1;
        Entry last = heap[--size];
        heap[size] = null;
        if (slot < size) {
            place(last, slot);
            if (!up(slot)) {
                down(slot);
            }
        }
    }

    /** The earliest due time, or {@link Long#MAX_VALUE} when empty. */
    long nextDue() {
        return size == 0 ? Long.MAX_VALUE : heap[0].due;
    }

    /** Removes and returns the head if it is due at or before {@code now}, else null. */
    Entry pollDue(long now) {
        if (size == 0 || heap[0].due - now > 0) {
            return null;
        }
        Entry head = heap[0];
        cancel(head);
        return head;
    }

    private boolean up(int slot) {
        Entry e = heap[slot];
        int start = slot;
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            if (heap[parent].due - e.due <= 0) {
                break;
            }
            place(heap[parent], slot);
            slot = parent;
        }
        place(e, slot);
        return slot != start;
    }

    private void down(int slot) {
        Entry e = heap[slot];
        while (true) {
            int child = 2 * slot + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1].due - heap[child].due < 0) {
                child++;
            }
            if (e.due - heap[child].due <= 0) {
                break;
            }
            place(heap[child], slot);
            slot = child;
        }
        place(e, slot);
    }

    private void place(Entry e, int slot) {
        heap[slot] = e;
        e.slot = slot;
    }
}

package dev.earshot.loadtest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Everything a load run counts, shared by all its sessions. */
public final class LoadStats {
    final AtomicInteger established = new AtomicInteger();
    /** Sessions whose start is decided: established, refused, or failed before starting. */
    final AtomicInteger decided = new AtomicInteger();

    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    final LongAdder chunksSent = new LongAdder();
    final LongAdder messagesReceived = new LongAdder();
    final AtomicInteger sessionsMissingResults = new AtomicInteger();
    final LatencyStats chunkLatency = new LatencyStats();
    final LatencyStats stopLatency = new LatencyStats();
    /** Real time only: how late the tool wrote each chunk (actual send − due). */
    final LatencyStats sendLag = new LatencyStats();

    void refused(String code) {
        refused.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
    }

    void error(String code) {
        errors.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
    }

    int refusedTotal() {
        return refused.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    int errorsTotal() {
        return errors.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
        Map<String, Integer> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}

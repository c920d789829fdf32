package dev.earshot.bench;

import dev.earshot.bench.PacedSession.Timed;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * What the recovery benchmark's clients saw: for each {@code backend_recovered}, the time from the
 * session's last result before it to its first result after it (the gap a person reading live
 * captions notices); the time between consecutive results elsewhere, for comparison; and whether
 * each session got every chunk in exactly one final.
 */
final class RecoveryGaps {
    private final List<Integer> expected;
    private final Percentiles recovery = new Percentiles();
    private final Percentiles steady = new Percentiles();
    private int recoveries;
    private int exactlyOnce;
    private int completed;

    RecoveryGaps(int chunks) {
        this.expected = IntStream.rangeClosed(1, chunks).boxed().toList();
    }

    void add(PacedSession session) {
        if (session.closeCode() == 1000) {
            completed++;
        }
        if (session.finalMarkers().equals(expected)) {
            exactlyOnce++;
        }
        List<Timed> events = session.events();
        long lastResult = -1;
        boolean recovering = false;
        for (Timed t : events) {
            switch (t.name()) {
                case "backend_recovered" -> {
                    recoveries++;
                    recovering = true;
                }
                case "transcript" -> {
                    if (lastResult >= 0) {
                        (recovering ? recovery : steady).add((t.nanos() - lastResult) / 1e6);
                    }
                    lastResult = t.nanos();
                    recovering = false;
                }
                default -> {}
            }
        }
    }

    boolean allExactlyOnce(int sessions) {
        return exactlyOnce == sessions && completed == sessions;
    }

    int recoveries() {
        return recoveries;
    }

    Percentiles recoveryGaps() {
        return recovery;
    }

    String table(int sessions, int seconds, int failEvery) {
        return String.format(
                Locale.ROOT,
                """
                bench-recovery: %d sessions x %d s at real-time pace; every Riva stream fails (UNAVAILABLE) after %d chunks
                recoveries announced                 %d
                gap in results around a recovery     p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d gaps)
                gap between results otherwise        p50 %.1f ms, p99 %.1f ms (%d gaps)
                sessions completed (1000)            %d/%d
                every chunk in exactly one final     %d/%d sessions
                """,
                sessions,
                seconds,
                failEvery,
                recoveries,
                recovery.at(50),
                recovery.at(99),
                recovery.at(100),
                recovery.count(),
                steady.at(50),
                steady.at(99),
                steady.count(),
                completed,
                sessions,
                exactlyOnce,
                sessions);
    }
}

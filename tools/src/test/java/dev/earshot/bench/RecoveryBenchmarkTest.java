package dev.earshot.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A short recovery benchmark inside the test suite, asserting correctness only: sessions whose
 * streams fail again and again still get every chunk in exactly one final, and every recovery's
 * gap is measured. The figures come from the command (docs/performance.md), never from timed
 * assertions.
 */
class RecoveryBenchmarkTest {

    @Test
    void sessionsWhoseStreamsKeepFailingGetEveryChunkOnceAndEachGapIsMeasured() throws Exception {
        // 40 chunks, every stream fails on its 13th: the streams start at chunks 1, 11, 21 and 31
        // (each replays from the end of its predecessor's last final), so three recoveries each
        RecoveryGaps gaps = RecoveryBenchmark.measure(3, 4, 12);
        String table = gaps.table(3, 4, 12);
        assertTrue(gaps.allExactlyOnce(3), table);
        assertEquals(9, gaps.recoveries(), table);
        assertEquals(9, gaps.recoveryGaps().count(), "one gap per recovery: " + table);
        assertTrue(gaps.recoveryGaps().at(50) > 0, table);
    }
}

package dev.earshot.loadtest;

import java.util.Arrays;

/**
 * Latencies in microseconds, recorded from many threads, summarized as percentiles. Values are
 * kept exactly (a long each) so the percentiles are exact; a run of 2,400 sessions for a minute
 * at ten chunks a second is 1.4 million values, about 11 MB.
 */
public final class LatencyStats {
    private long[] values = new long[1024];
    private int count;

    /** Records one latency. */
    public synchronized void record(long micros) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = micros;
    }

    public synchronized int count() {
        return count;
    }

    /** A summary of what was recorded so far. */
    public Summary summary() {
        return summary(0);
    }

    /**
     * A summary of the values recorded after the first {@code from} (so a live progress line
     * sorts only the last second's values, not the whole run's every second).
     */
    public synchronized Summary summary(int from) {
        from = Math.min(Math.max(0, from), count);
        long[] sorted = Arrays.copyOfRange(values, from, count);
        Arrays.sort(sorted);
        int n = sorted.length;
        return new Summary(
                n, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), n == 0 ? 0 : sorted[n - 1]);
    }

    /** The nearest-rank percentile of sorted values (0 when empty). */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Percentiles in microseconds.
     *
     * @param count how many values
     * @param p50   median
     * @param p95   95th percentile
     * @param p99   99th percentile
     * @param max   largest
     */
    public record Summary(int count, long p50, long p95, long p99, long max) {}
}

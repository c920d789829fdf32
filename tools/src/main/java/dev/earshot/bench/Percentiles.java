package dev.earshot.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A set of latencies in milliseconds, read as nearest-rank percentiles. */
final class Percentiles {
    private final List<Double> values = new ArrayList<>();

    synchronized void add(double millis) {
        values.add(millis);
    }

    synchronized int count() {
        return values.size();
    }

    /** The nearest-rank {@code p}-th percentile (0 < p ≤ 100); NaN when empty. */
    synchronized double at(double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}

package dev.earshot.operator.autoscale;

import java.util.OptionalDouble;

/**
 * Reads one metric out of a Prometheus text exposition, classic (0.0.4) or OpenMetrics, as the
 * gateway's Micrometer registry writes them. Only what the autoscaler needs: skip comments
 * ({@code # HELP}, {@code # TYPE}, {@code # UNIT}, OpenMetrics' {@code # EOF}), match the sample
 * name exactly (with or without a label set, whose quoted values may contain any character; a
 * counter's samples carry their {@code _total} suffix, so ask for {@code earshot_sessions_total},
 * not {@code earshot_sessions}), take the first token after it as the value (a timestamp or an
 * OpenMetrics exemplar after {@code #} may follow), and sum every series, so a gauge split by
 * labels still gives the pod's total.
 */
public final class PrometheusText {

    private PrometheusText() {}

    /**
     * The sum of all samples of {@code metric}.
     *
     * @param body exposition text
     * @param metric metric name, e.g. {@code earshot_sessions_active}
     * @return the sum, or empty when the metric has no sample
     * @throws IllegalArgumentException when a sample of the metric has an unparseable value
     */
    public static OptionalDouble sum(String body, String metric) {
        double total = 0;
        boolean found = false;
        for (String raw : body.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            int i = metric.length();
            if (i < line.length() && line.charAt(i) == '{') {
                i = endOfLabels(line, i);
                if (i < 0) {
                    throw new IllegalArgumentException("unterminated label set: " + line);
                }
            } else if (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
                continue; // another metric that shares the prefix, e.g. earshot_sessions_active_max
            }
            String rest = line.substring(i).strip();
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("sample without value: " + line);
            }
            String value = rest.split("\\s+")[0];
            total += parseValue(value, line);
            found = true;
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    /** Index just past the closing brace of a label set starting at {@code open}, or -1. */
    private static int endOfLabels(String line, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '}') {
                return i + 1;
            }
        }
        return -1;
    }

    private static double parseValue(String value, String line) {
        switch (value) {
            case "+Inf", "Inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "NaN" -> {
                return Double.NaN;
            }
            default -> {
                try {
                    return Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad sample value in: " + line, e);
                }
            }
        }
    }
}

package dev.earshot.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text scrape in tests, failing loudly when one is missing. */
public final class ScrapeText {
    private ScrapeText() {}

    /** The sum of every series of {@code name}, whatever its labels. */
    public static double sum(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^\\n]*})? ([0-9.eE+-]+)$")
                .matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
            found = true;
        }
        if (!found) {
            throw new AssertionError("metric " + name + " not found in\n" + text);
        }
        return sum;
    }

    /** Like {@link #sample}, but 0 for a series not (yet) in the scrape, as for a counter never incremented. */
    public static double sampleOrZero(String text, String series) {
        return text.contains("\n" + series + " ") ? sample(text, series) : 0;
    }

    /** The value of one series, written exactly as in the scrape: {@code name{label="value"}}. */
    public static double sample(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$")
                .matcher(text);
        if (!m.find()) {
            throw new AssertionError("series " + series + " not found in\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }
}

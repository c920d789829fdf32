package dev.earshot.operator.autoscale;

/** The outcome of reading one pod's session count: a count, or why there is none. */
public sealed interface ScrapeResult {

    /**
     * The pod reported its sessions.
     *
     * @param sessions live sessions on the pod
     */
    record Sessions(long sessions) implements ScrapeResult {}

    /**
     * The pod's metrics could not be read or did not contain the gauge.
     *
     * @param reason short explanation, e.g. "HTTP 503" or "connect timed out"
     */
    record Failed(String reason) implements ScrapeResult {}
}

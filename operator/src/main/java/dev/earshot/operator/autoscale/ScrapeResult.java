package dev.earshot.operator.autoscale;

/** The outcome of reading one pod's metrics: its sessions and drain state, or why there are none. */
public sealed interface ScrapeResult {

    /**
     * The pod reported its sessions.
     *
     * @param sessions live sessions on the pod
     * @param draining whether it drains ({@code earshot_draining}; false from a gateway without it)
     */
    record Sessions(long sessions, boolean draining) implements ScrapeResult {

        /** A pod that serves: it does not drain. */
        public Sessions(long sessions) {
            this(sessions, false);
        }
    }

    /**
     * The pod's metrics could not be read or did not contain the gauge.
     *
     * @param reason short explanation, e.g. "HTTP 503" or "connect timed out"
     */
    record Failed(String reason) implements ScrapeResult {}
}

package dev.earshot.operator.autoscale;

/** What a gateway answered on {@code /admin/drain}, or why it did not. */
public sealed interface DrainAnswer {

    /**
     * The gateway's drain state after the request.
     *
     * @param draining whether it refuses new sessions
     * @param sessions its live sessions
     */
    record Answered(boolean draining, long sessions) implements DrainAnswer {}

    /**
     * No usable answer.
     *
     * @param reason short explanation, e.g. "HTTP 404" or "connect timed out"
     */
    record Failed(String reason) implements DrainAnswer {}
}

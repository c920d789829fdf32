package dev.earshot.operator.autoscale;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the live session count and drain state of one pod. An interface so tests, or another transport, can
 * replace the HTTP implementation; implementations never complete exceptionally, a failure is a
 * {@link ScrapeResult.Failed}.
 */
@FunctionalInterface
public interface MetricsScraper {

    /** Name of the gauge every Earshot pod exports on {@code /observe/metrics}. */
    String SESSIONS_METRIC = "earshot_sessions_active";

    /** Name of the gauge that is 1 while a pod drains; gateways older than drain-before-remove lack it. */
    String DRAINING_METRIC = "earshot_draining";

    /**
     * Starts reading one pod.
     *
     * @param metricsUrl URL of the pod's Prometheus endpoint
     * @return the result, completing within the scraper's timeout
     */
    CompletableFuture<ScrapeResult> scrape(URI metricsUrl);
}

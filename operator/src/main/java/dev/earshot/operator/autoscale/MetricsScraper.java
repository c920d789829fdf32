package dev.earshot.operator.autoscale;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the live session count of one pod. An interface so tests, or another transport, can
 * replace the HTTP implementation; implementations never complete exceptionally, a failure is a
 * {@link ScrapeResult.Failed}.
 */
@FunctionalInterface
public interface MetricsScraper {

    /** Name of the gauge every Earshot pod exports on {@code /observe/metrics}. */
    String SESSIONS_METRIC = "earshot_sessions_active";

    /**
     * Starts reading one pod.
     *
     * @param metricsUrl URL of the pod's Prometheus endpoint
     * @return the result, completing within the scraper's timeout
     */
    CompletableFuture<ScrapeResult> scrape(URI metricsUrl);
}

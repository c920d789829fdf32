package dev.earshot.operator.autoscale;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;

/**
 * Reads {@code earshot_sessions_active} and {@code earshot_draining} over HTTP with a short timeout: a slow pod must not delay
 * the decision for the others, and a pod that cannot answer within the timeout counts as failed.
 */
public final class HttpMetricsScraper implements MetricsScraper {

    private final AdminRequests requests;

    /**
     * @param timeout connect and response timeout per pod
     */
    public HttpMetricsScraper(Duration timeout) {
        this.requests = new AdminRequests(timeout);
    }

    @Override
    public CompletableFuture<ScrapeResult> scrape(URI metricsUrl) {
        return requests.send(HttpRequest.newBuilder(metricsUrl)
                        // the classic text format; PrometheusText reads OpenMetrics too, should a pod send it
                        .header("Accept", "text/plain;version=0.0.4")
                        .GET())
                .thenApply(HttpMetricsScraper::read)
                .exceptionally(error -> new ScrapeResult.Failed(AdminRequests.describe(error)));
    }

    private static ScrapeResult read(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return new ScrapeResult.Failed("HTTP " + response.statusCode());
        }
        OptionalDouble value;
        try {
            value = PrometheusText.sum(response.body(), SESSIONS_METRIC);
        } catch (IllegalArgumentException e) {
            return new ScrapeResult.Failed(e.getMessage());
        }
        if (value.isEmpty()) {
            return new ScrapeResult.Failed(SESSIONS_METRIC + " not exported");
        }
        double sessions = value.getAsDouble();
        if (!Double.isFinite(sessions) || sessions < 0) {
            return new ScrapeResult.Failed(SESSIONS_METRIC + " is " + sessions);
        }
        OptionalDouble draining = PrometheusText.sum(response.body(), DRAINING_METRIC);
        return new ScrapeResult.Sessions(Math.round(sessions), draining.isPresent() && draining.getAsDouble() > 0);
    }
}

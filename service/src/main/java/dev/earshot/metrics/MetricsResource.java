package dev.earshot.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code GET /observe/metrics}: the Prometheus scrape endpoint. The format follows the
 * {@code Accept} header the way Prometheus' own client library negotiates it: OpenMetrics text when
 * asked for (Prometheus' default scrape asks for it first), protobuf when asked for (native
 * histograms), otherwise the classic text format 0.0.4, which is also what a bare {@code curl} gets.
 */
public final class MetricsResource implements HttpService {
    private final PrometheusMeterRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();

    public MetricsResource(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::scrape);
    }

    private void scrape(ServerRequest req, ServerResponse res) {
        String accept = req.headers().contains(HeaderNames.ACCEPT)
                ? req.headers().get(HeaderNames.ACCEPT).values()
                : "";
        ExpositionFormatWriter writer = formats.findWriter(accept);
        ByteArrayOutputStream body = new ByteArrayOutputStream(32 * 1024);
        try {
            writer.write(body, registry.getPrometheusRegistry().scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        res.header(HeaderNames.CONTENT_TYPE, writer.getContentType()).send(body.toByteArray());
    }
}

package dev.earshot.operator.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String METRIC = "earshot_sessions_active";

    @Test
    void readsAPlainSample() {
        assertEquals(OptionalDouble.of(42.0), PrometheusText.sum("earshot_sessions_active 42.0\n", METRIC));
    }

    @Test
    void skipsHelpAndTypeLinesAndReadsTheLabelledForm() {
        String body = """
        # HELP earshot_sessions_active Live WebSocket sessions
        # TYPE earshot_sessions_active gauge
        earshot_sessions_active{scope="application"} 42.0
        """;
        assertEquals(OptionalDouble.of(42.0), PrometheusText.sum(body, METRIC));
    }

    @Test
    void sumsSeriesAndIgnoresMetricsThatShareThePrefix() {
        String body = """
        earshot_sessions_active_max 150.0
        earshot_sessions_active{engine="riva",note="a } and \\" inside"} 10
        earshot_sessions_active{engine="embedded",} 5 1700000000000
        other_metric 99
        """;
        assertEquals(OptionalDouble.of(15.0), PrometheusText.sum(body, METRIC));
    }

    /** What the gateway's Micrometer registry writes, in both text formats it may be asked for. */
    @Test
    void readsTheGaugeOutOfARealMicrometerScrapeInBothFormats() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gauge.builder("earshot.sessions.active", () -> 42).register(registry);
        Gauge.builder("earshot.sessions.capacity", () -> 150).register(registry);
        Counter.builder("earshot.sessions")
                .tag("outcome", "completed")
                .register(registry)
                .increment(3);
        Timer.builder("earshot.sessions.active.wait").register(registry).record(Duration.ofMillis(5));
        String text = registry.scrape("text/plain; version=0.0.4; charset=utf-8");
        String openMetrics = registry.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertTrue(text.contains("earshot_sessions_active 42.0\n"), text);
        assertTrue(openMetrics.endsWith("# EOF\n"), openMetrics);
        assertEquals(OptionalDouble.of(42.0), PrometheusText.sum(text, METRIC));
        assertEquals(OptionalDouble.of(42.0), PrometheusText.sum(openMetrics, METRIC));
        assertEquals(OptionalDouble.of(3.0), PrometheusText.sum(openMetrics, "earshot_sessions_total"));
    }

    @Test
    void skipsTimestampsExemplarsAndTheEndMarkerOfOpenMetrics() {
        String body = """
        # TYPE earshot_sessions_active gauge
        # UNIT earshot_sessions_active sessions
        # HELP earshot_sessions_active WebSocket sessions open now
        earshot_sessions_active{pod="a"} 4.0 1700000000.123
        earshot_sessions_active{pod="b"} 2.0 # {trace_id="3f2a"} 1.0 1700000000.0
        # TYPE earshot_sessions counter
        earshot_sessions_total{outcome="completed"} 9.0
        earshot_sessions_created{outcome="completed"} 1.7E9
        # EOF
        """;
        assertEquals(OptionalDouble.of(6.0), PrometheusText.sum(body, METRIC));
        assertEquals(OptionalDouble.of(9.0), PrometheusText.sum(body, "earshot_sessions_total"));
    }

    @Test
    void aMissingMetricIsEmpty() {
        assertTrue(PrometheusText.sum("# TYPE x gauge\nx 1\n", METRIC).isEmpty());
    }

    @Test
    void aGarbledValueIsAnError() {
        assertThrows(
                IllegalArgumentException.class,
                () -> PrometheusText.sum("earshot_sessions_active forty-two\n", METRIC));
    }

    @Test
    void windowsLineEndingsAreFine() {
        assertEquals(
                OptionalDouble.of(7.0),
                PrometheusText.sum("# TYPE earshot_sessions_active gauge\r\nearshot_sessions_active 7\r\n", METRIC));
    }
}

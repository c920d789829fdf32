package dev.earshot.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.protocol.ErrorCode;
import dev.earshot.session.SessionRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's alerts for the gateway ({@code charts/earshot-operator/templates/prometheusrule.yaml})
 * name series the gateway exports, with outcomes it records: an alert on a name that does not
 * exist never fires, and nothing says so. The meters are the gateway's own, each recorded once,
 * scraped as Prometheus would.
 */
class AlertRuleMetricsTest {
    private static final Path RULES = Path.of("..", "charts", "earshot-operator", "templates", "prometheusrule.yaml");

    /** The rules of the gateway's group: the operator's follow it, checked in the operator module. */
    private static String gatewayRules() throws Exception {
        String rules = Files.readString(RULES);
        int operatorGroup = rules.indexOf("- name: earshot-operator");
        assertTrue(rules.contains("- name: earshot-gateway") && operatorGroup > 0, rules);
        return rules.substring(0, operatorGroup);
    }

    private static String scrapeAfterOneOfEach() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GatewayMetrics metrics = new GatewayMetrics(registry, () -> 3, () -> 4, () -> false);
        metrics.sessionEnded("completed", 1.5);
        metrics.result(true);
        metrics.backendError("UNAVAILABLE");
        metrics.backendRecovered();
        metrics.streamRotated();
        metrics.firstResult(Duration.ofMillis(180));
        return registry.scrape();
    }

    @Test
    void everySeriesTheGatewayAlertsNameIsExported() throws Exception {
        String rules = gatewayRules();
        String scrape = scrapeAfterOneOfEach();
        Matcher names = Pattern.compile("\\b(earshot_(?!operator_)[a-z_]+)").matcher(rules);
        Set<String> checked = new TreeSet<>();
        while (names.find()) {
            String name = names.group(1);
            assertTrue(
                    scrape.contains("\n" + name + "{") || scrape.contains("\n" + name + " "), name + " in\n" + scrape);
            checked.add(name);
        }
        assertEquals(
                Set.of(
                        "earshot_sessions_active",
                        "earshot_sessions_capacity",
                        "earshot_sessions_total",
                        "earshot_backend_errors_total",
                        "earshot_backend_recoveries_total",
                        "earshot_first_result_seconds_bucket"),
                checked);
    }

    @Test
    void everyOutcomeTheAlertsMatchIsOneASessionCanEndWith() throws Exception {
        Set<String> outcomes = new TreeSet<>(
                Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).collect(Collectors.toSet()));
        for (SessionRegistry.Admission refusal : SessionRegistry.Admission.values()) {
            outcomes.add("refused_" + refusal.name().toLowerCase(Locale.ROOT));
        }
        Matcher matchers = Pattern.compile("outcome=~?\"([^\"]+)\"").matcher(gatewayRules());
        int found = 0;
        while (matchers.find()) {
            for (String outcome : matchers.group(1).split("\\|")) {
                assertTrue(outcomes.contains(outcome), outcome + " is no outcome of " + outcomes);
                found++;
            }
        }
        assertEquals(4, found, "refused_full, and the three errors of the server's side");
    }
}

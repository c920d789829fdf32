package dev.earshot.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.model.DeploymentModel;
import dev.earshot.operator.model.SpeechServiceConfig;
import dev.earshot.operator.observe.OperatorMetrics;
import dev.earshot.operator.testing.SpeechServices;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's objects for the Prometheus Operator ({@code monitoring.*}): none by default; the
 * PodMonitors select pods and ports that exist (the operator's, and the gateway pods the operator
 * builds); the PrometheusRule's operator alerts name series the operator exports. The gateway
 * alerts' series are checked in the service module ({@code metrics.AlertRuleMetricsTest}).
 */
class MonitoringChartTest {
    private static final Map<String, Object> ALL_ON = Map.of(
            "monitoring", Map.of("podMonitors", true, "prometheusRule", true, "labels", Map.of("release", "kps")));

    private static List<GenericKubernetesResource> ofKind(RenderedChart chart, String kind) {
        return chart.all(GenericKubernetesResource.class).stream()
                .filter(o -> kind.equals(o.getKind()))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource object) {
        return (Map<String, Object>) object.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    private static Set<String> portNames(Container container) {
        return container.getPorts().stream().map(ContainerPort::getName).collect(Collectors.toSet());
    }

    @Test
    void byDefaultTheChartHasNoObjectOfThePrometheusOperator() {
        RenderedChart chart = HelmChart.render();
        assertEquals(List.of(), ofKind(chart, "PodMonitor"));
        assertEquals(List.of(), ofKind(chart, "PrometheusRule"));
    }

    @Test
    void thePodMonitorsSelectTheOperatorAndTheGatewayPodsByLabelsAndPortsTheyHave() {
        RenderedChart chart = HelmChart.render(ALL_ON);
        Deployment operator = chart.one(Deployment.class);
        GenericKubernetesResource ofOperator = chart.named(GenericKubernetesResource.class, "earshot-earshot-operator");
        GenericKubernetesResource ofGateways =
                chart.named(GenericKubernetesResource.class, "earshot-earshot-operator-gateways");
        for (GenericKubernetesResource monitor : List.of(ofOperator, ofGateways)) {
            assertEquals("PodMonitor", monitor.getKind());
            assertEquals("kps", monitor.getMetadata().getLabels().get("release"), "monitoring.labels");
        }

        Map<String, Object> operatorEndpoint =
                map(list(spec(ofOperator).get("podMetricsEndpoints")).get(0));
        assertEquals("/metrics", operatorEndpoint.get("path"));
        assertTrue(
                portNames(operator.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0))
                        .contains(operatorEndpoint.get("port")),
                "the operator container has the port " + operatorEndpoint);
        assertTrue(operator.getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(map(map(spec(ofOperator).get("selector")).get("matchLabels"))
                        .entrySet()));

        // a gateway Deployment as the operator builds it
        SpeechService service = SpeechServices.toCreate("speech", "asr", "earshot:1.0");
        SpeechServiceConfig config = ((SpeechServiceConfig.Valid) SpeechServiceConfig.from(service.getSpec())).config();
        Deployment gateway = DeploymentModel.build(service, config, 1);
        Map<String, Object> gatewayEndpoint =
                map(list(spec(ofGateways).get("podMetricsEndpoints")).get(0));
        assertEquals("/observe/metrics", gatewayEndpoint.get("path"));
        assertTrue(portNames(gateway.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0))
                .contains(gatewayEndpoint.get("port")));
        assertTrue(gateway.getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(map(map(spec(ofGateways).get("selector")).get("matchLabels"))
                        .entrySet()));
        assertEquals(
                Boolean.TRUE, map(spec(ofGateways).get("namespaceSelector")).get("any"));

        RenderedChart watching = HelmChart.render(
                Map.of("monitoring", Map.of("podMonitors", true), "watchNamespaces", List.of("speech", "asr-prod")));
        assertEquals(
                List.of("speech", "asr-prod"),
                map(spec(watching.named(GenericKubernetesResource.class, "earshot-earshot-operator-gateways"))
                                .get("namespaceSelector"))
                        .get("matchNames"));
    }

    @Test
    void theOperatorAlertsNameSeriesTheOperatorExports() {
        GenericKubernetesResource rule =
                ofKind(HelmChart.render(ALL_ON), "PrometheusRule").get(0);
        assertEquals("kps", rule.getMetadata().getLabels().get("release"));
        StringBuilder expressions = new StringBuilder();
        Set<String> alerts = new TreeSet<>();
        for (Object group : list(spec(rule).get("groups"))) {
            for (Object r : list(map(group).get("rules"))) {
                expressions.append(map(r).get("expr")).append('\n');
                alerts.add((String) map(r).get("alert"));
                assertTrue(map(map(r).get("annotations")).containsKey("description"), r.toString());
            }
        }
        assertTrue(
                alerts.containsAll(Set.of("EarshotReplicaNearCapacity", "EarshotAutoscalerCannotReadPods")),
                alerts.toString());

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new OperatorMetrics(registry);
        String scrape = registry.scrape();
        Matcher series =
                Pattern.compile("(earshot_operator_[a-z_]+)(\\{[^}]*})?").matcher(expressions);
        int checked = 0;
        while (series.find()) {
            String name = series.group(1);
            assertTrue(
                    scrape.contains("\n" + name + "{") || scrape.contains("\n" + name + " "), name + " in\n" + scrape);
            if (series.group(2) != null) {
                assertTrue(scrape.contains(name + series.group(2) + " "), series.group() + " in\n" + scrape);
            }
            checked++;
        }
        assertEquals(2, checked, "the operator's alerts name two series: " + expressions);
    }
}

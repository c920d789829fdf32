package dev.earshot.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.OperatorSettings;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.observe.OperatorHttpServer;
import dev.earshot.operator.observe.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What {@code helm template} makes of the chart, parsed with fabric8: labels, the operator pod's
 * hardening, probes that reach the operator's real endpoints, the settings the operator reads
 * from its environment, image and pull settings, and the two watch modes.
 */
class ChartRenderTest {

    private static Deployment deployment(RenderedChart chart) {
        return chart.one(Deployment.class);
    }

    private static PodSpec pod(RenderedChart chart) {
        return deployment(chart).getSpec().getTemplate().getSpec();
    }

    private static Container container(RenderedChart chart) {
        return pod(chart).getContainers().get(0);
    }

    @Test
    void everyObjectCarriesTheRecommendedLabels() {
        RenderedChart chart = HelmChart.render(Map.of("speechService", Map.of("enabled", true)));
        String appVersion = Repository.version();
        assertTrue(chart.objects().size() >= 7, chart.objects().toString());
        for (HasMetadata object : chart.objects()) {
            Map<String, String> labels = object.getMetadata().getLabels();
            String what = RenderedChart.describe(object);
            assertNotNull(labels, what);
            assertEquals(HelmChart.RELEASE, labels.get("app.kubernetes.io/instance"), what);
            assertEquals(appVersion, labels.get("app.kubernetes.io/version"), what);
            assertEquals("Helm", labels.get("app.kubernetes.io/managed-by"), what);
            assertEquals("earshot", labels.get("app.kubernetes.io/part-of"), what);
            assertEquals("earshot-operator-0.1.0", labels.get("helm.sh/chart"), what);
            String component = object instanceof SpeechService ? "gateway" : "operator";
            assertEquals(component, labels.get("app.kubernetes.io/component"), what);
        }
        Deployment deployment = deployment(chart);
        Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
        assertEquals(
                Set.of("app.kubernetes.io/name", "app.kubernetes.io/instance"),
                selector.keySet(),
                "the selector holds only labels that never change for a release");
        assertTrue(deployment
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(selector.entrySet()));
    }

    @Test
    void theOperatorRunsAsNonRootOnAReadOnlyRootFileSystemWithoutPrivilegeEscalation() {
        RenderedChart chart = HelmChart.render();
        var podSecurity = pod(chart).getSecurityContext();
        assertTrue(podSecurity.getRunAsNonRoot());
        assertTrue(podSecurity.getRunAsUser() > 0);
        assertEquals("RuntimeDefault", podSecurity.getSeccompProfile().getType());
        var security = container(chart).getSecurityContext();
        assertFalse(security.getAllowPrivilegeEscalation());
        assertFalse(security.getPrivileged());
        assertTrue(security.getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop());

        // The one writable place is an emptyDir on /tmp.
        var mount = container(chart).getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/tmp"))
                .findFirst()
                .orElseThrow();
        Volume volume = pod(chart).getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        assertNotNull(volume.getEmptyDir());
    }

    @Test
    void probesAndPrometheusAnnotationsReachTheOperatorsRealEndpoints() throws Exception {
        RenderedChart chart = HelmChart.render();
        Container container = container(chart);
        OperatorSettings settings = ChartedOperator.of(chart).settings();
        assertEquals(
                settings.httpPort(),
                container.getPorts().stream()
                        .filter(p -> p.getName().equals("http"))
                        .findFirst()
                        .orElseThrow()
                        .getContainerPort(),
                "the probes' named port is the one the operator listens on (HTTP_PORT)");
        Map<String, String> annotations =
                deployment(chart).getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals(String.valueOf(settings.httpPort()), annotations.get("prometheus.io/port"));

        AtomicBoolean healthy = new AtomicBoolean(false);
        HttpClient http = HttpClient.newHttpClient();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (OperatorHttpServer server = new OperatorHttpServer(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), healthy::get, meters)) {
            new OperatorMetrics(meters);
            for (Probe probe :
                    List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
                assertEquals("http", probe.getHttpGet().getPort().getStrVal());
                String path = probe.getHttpGet().getPath();
                healthy.set(false);
                assertEquals(503, get(http, server, path).statusCode(), path + " while starting");
                healthy.set(true);
                assertEquals(200, get(http, server, path).statusCode(), path + " once running");
            }
            HttpResponse<String> metrics = get(http, server, annotations.get("prometheus.io/path"));
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("\nearshot_operator_autoscaler_polls_total 0.0\n"), metrics.body());
        }
    }

    private static HttpResponse<String> get(HttpClient http, OperatorHttpServer server, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void byDefaultTheOperatorWatchesAllNamespacesAndElectsALeaderInTheReleaseNamespace() {
        RenderedChart chart = HelmChart.render();
        ChartedOperator charted = ChartedOperator.of(chart);
        OperatorSettings settings = charted.settings();
        assertEquals(Set.of(), settings.namespaces(), "all namespaces");
        OperatorSettings.LeaseSettings lease = settings.leaderElection().orElseThrow();
        assertEquals(HelmChart.NAMESPACE, lease.namespace());
        assertTrue(lease.exitOnLoss());
        assertEquals(ChartedOperator.POD_NAME, settings.identity());
        assertTrue(settings.serverSideApply());
        assertEquals(2, deployment(chart).getSpec().getReplicas());

        ServiceAccount account = chart.one(ServiceAccount.class);
        assertEquals(account.getMetadata().getName(), charted.serviceAccount());
        assertEquals(HelmChart.NAMESPACE, account.getMetadata().getNamespace());
        assertEquals(1, chart.all(ClusterRole.class).size());
        assertEquals(1, chart.all(ClusterRoleBinding.class).size());
        Role leaseRole = chart.one(Role.class);
        assertEquals(HelmChart.NAMESPACE, leaseRole.getMetadata().getNamespace());
        assertTrue(leaseRole.getRules().stream()
                .allMatch(r -> r.getResources().equals(List.of(HasMetadata.getPlural(Lease.class)))));
        assertTrue(
                leaseRole.getRules().stream().anyMatch(r -> r.getResourceNames().equals(List.of(lease.name()))),
                "updates limited to its own Lease");
    }

    @Test
    void theOperatorKnowsItsNamespaceSoTheGatewaysAdminPortAdmitsOnlyIt() {
        assertEquals(
                Optional.of(HelmChart.NAMESPACE),
                ChartedOperator.of(HelmChart.render()).settings().operatorNamespace());
        RenderedChart single = HelmChart.render(Map.of("replicaCount", 1, "leaderElection", Map.of("enabled", false)));
        assertEquals(
                Optional.of(HelmChart.NAMESPACE),
                ChartedOperator.of(single).settings().operatorNamespace(),
                "also without a Lease");
    }

    @Test
    void watchingNamespacesGivesOneRolePerNamespaceAndTellsTheOperator() {
        RenderedChart chart = HelmChart.render(Map.of("watchNamespaces", List.of("speech", "asr-prod")));
        assertEquals(
                Set.of("speech", "asr-prod"),
                ChartedOperator.of(chart).settings().namespaces());
        assertTrue(chart.all(ClusterRole.class).isEmpty());
        assertTrue(chart.all(ClusterRoleBinding.class).isEmpty());
        Set<String> roleNamespaces = chart.all(RoleBinding.class).stream()
                .map(b -> b.getMetadata().getNamespace())
                .collect(Collectors.toSet());
        assertEquals(Set.of("speech", "asr-prod", HelmChart.NAMESPACE), roleNamespaces);
    }

    @Test
    void withoutLeaderElectionThereIsNoLeaseRoleAndOneReplica() {
        RenderedChart chart = HelmChart.render(Map.of("replicaCount", 1, "leaderElection", Map.of("enabled", false)));
        assertTrue(ChartedOperator.of(chart).settings().leaderElection().isEmpty());
        assertTrue(chart.all(Role.class).isEmpty());
        assertEquals(1, deployment(chart).getSpec().getReplicas());
    }

    @Test
    void imageAndPullSettingsComeFromValuesAndTheTagDefaultsToTheAppVersion() {
        Container defaults = container(HelmChart.render());
        assertEquals("earshot-operator:" + Repository.version(), defaults.getImage());
        assertEquals("IfNotPresent", defaults.getImagePullPolicy());
        assertEquals(new Quantity("512Mi"), defaults.getResources().getLimits().get("memory"));
        assertTrue(pod(HelmChart.render()).getImagePullSecrets().isEmpty());

        RenderedChart custom = HelmChart.render(Map.of(
                "image",
                        Map.of(
                                "repository",
                                "registry.example.com/earshot/operator",
                                "tag",
                                "1.2.3",
                                "pullPolicy",
                                "Always"),
                "imagePullSecrets", List.of(Map.of("name", "regcred")),
                "resources", Map.of("limits", Map.of("memory", "1Gi")),
                "jvmOptions", "-XX:MaxRAMPercentage=60.0"));
        Container container = container(custom);
        assertEquals("registry.example.com/earshot/operator:1.2.3", container.getImage());
        assertEquals("Always", container.getImagePullPolicy());
        assertEquals("regcred", pod(custom).getImagePullSecrets().get(0).getName());
        assertEquals(new Quantity("1Gi"), container.getResources().getLimits().get("memory"));
        assertTrue(container.getEnv().stream()
                .anyMatch(e ->
                        e.getName().equals("JDK_JAVA_OPTIONS") && e.getValue().equals("-XX:MaxRAMPercentage=60.0")));
    }

    @Test
    void aSpeechServiceIsRenderedOnlyWhenEnabled() {
        assertTrue(HelmChart.render().all(SpeechService.class).isEmpty());
        SpeechService resource = HelmChart.render(Map.of("speechService", Map.of("enabled", true, "name", "asr")))
                .one(SpeechService.class);
        assertEquals("asr", resource.getMetadata().getName());
        assertEquals(HelmChart.NAMESPACE, resource.getMetadata().getNamespace());
    }

    @Test
    void aSpeechServiceOutsideTheWatchedNamespacesIsRefused() {
        IllegalStateException error = assertThrows(
                IllegalStateException.class,
                () -> HelmChart.render(
                        Map.of("watchNamespaces", List.of("speech"), "speechService", Map.of("enabled", true))));
        assertTrue(error.getMessage().contains("not in watchNamespaces"), error.getMessage());
        assertEquals(
                "speech",
                HelmChart.render(Map.of(
                                "watchNamespaces",
                                List.of("speech"),
                                "speechService",
                                Map.of("enabled", true, "namespace", "speech")))
                        .one(SpeechService.class)
                        .getMetadata()
                        .getNamespace());
    }
}

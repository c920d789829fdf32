package dev.earshot.operator.chart;

import dev.earshot.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.HashMap;
import java.util.Map;

/**
 * The operator as the chart deploys it: its settings come from the rendered Deployment's
 * environment through {@link OperatorSettings#fromEnvironment} (the code path of the real
 * process), and its identity is the ServiceAccount the pod runs as.
 *
 * @param settings what the operator process would run with
 * @param serviceAccount the pod's ServiceAccount
 * @param namespace the release namespace (of the pod and the Lease)
 */
record ChartedOperator(OperatorSettings settings, String serviceAccount, String namespace) {

    /** The pod name the downward API would give. */
    static final String POD_NAME = "earshot-operator-7d9c5-x2x4q";

    static ChartedOperator of(RenderedChart chart) {
        Deployment deployment = chart.one(Deployment.class);
        String namespace = deployment.getMetadata().getNamespace();
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        Map<String, String> env = new HashMap<>();
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValueFrom() == null) {
                env.put(variable.getName(), variable.getValue());
            } else if (variable.getValueFrom().getFieldRef() != null) {
                String field = variable.getValueFrom().getFieldRef().getFieldPath();
                env.put(
                        variable.getName(),
                        switch (field) {
                            case "metadata.namespace" -> namespace;
                            case "metadata.name" -> POD_NAME;
                            default -> throw new IllegalStateException("no downward API value for " + field);
                        });
            }
        }
        return new ChartedOperator(OperatorSettings.fromEnvironment(env), pod.getServiceAccountName(), namespace);
    }

    /**
     * The same settings, except that losing the Lease does not end the process: here the process
     * is the test runner.
     */
    OperatorSettings inTestProcess() {
        return new OperatorSettings(
                settings.namespaces(),
                settings.httpPort(),
                settings.leaderElection()
                        .map(lease -> new OperatorSettings.LeaseSettings(lease.name(), lease.namespace(), false)),
                settings.identity(),
                settings.scrapeTimeout(),
                settings.serverSideApply(),
                settings.operatorNamespace());
    }

    /** The chart's RBAC as it applies to this operator's ServiceAccount. */
    RbacPolicy rights(RenderedChart chart) {
        return RbacPolicy.of(chart.objects(), namespace, serviceAccount);
    }
}

package dev.earshot.operator.testing;

import dev.earshot.operator.EarshotOperator;
import dev.earshot.operator.OperatorSettings;
import dev.earshot.operator.autoscale.AutoscalerSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Builds the real operator wiring with the settings the CRUD mock API server needs. */
public final class TestOperators {

    private TestOperators() {}

    /** The namespace the operator under test says it runs in ({@code POD_NAMESPACE}). */
    public static final String OPERATOR_NAMESPACE = "earshot-system";

    /**
     * Settings for the mock: all namespaces, no leader election, and no server-side apply (the CRUD
     * mock does not implement it; production keeps it on).
     */
    public static OperatorSettings settings() {
        return new OperatorSettings(
                Set.of(),
                0,
                Optional.empty(),
                "operator-under-test",
                Duration.ofMillis(500),
                false,
                Optional.of(OPERATOR_NAMESPACE));
    }

    /** Starts an operator on the mock with the given autoscaler settings. */
    public static EarshotOperator start(KubernetesClient client, AutoscalerSettings autoscaler) {
        EarshotOperator operator = EarshotOperator.builder(client)
                .settings(settings())
                .autoscaler(autoscaler)
                .build();
        operator.start();
        return operator;
    }
}

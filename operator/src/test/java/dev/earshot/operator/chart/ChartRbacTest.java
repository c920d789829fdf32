package dev.earshot.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.EarshotOperator;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC is exactly what the operator's code needs, found by running the code rather
 * than by reading a list: the operator runs in-process, configured from the rendered Deployment,
 * against a mock API server that enforces the rendered Roles and bindings on its ServiceAccount
 * (see {@link OperatorWorkout} for what it is put through). Every request must be allowed, and
 * every permission must be used by some request; a permission no request used must be one the
 * operator cannot start without (the operator framework checks the Lease rights up front).
 */
class ChartRbacTest {

    private static final String WORKLOADS = "speech";

    @Test
    void watchingAllNamespacesTheOperatorIsDeniedNothingAndUsesEveryPermission() {
        assertRightsAreExactlyWhatTheOperatorUses(HelmChart.render());
    }

    @Test
    void watchingOneNamespaceTheOperatorWorksWithThatNamespacesRoleAlone() {
        RenderedChart chart = HelmChart.render(Map.of("watchNamespaces", List.of(WORKLOADS)));
        assertTrue(chart.all(ClusterRole.class).isEmpty(), "no cluster-wide rights");
        assertTrue(chart.all(ClusterRoleBinding.class).isEmpty(), "no cluster-wide rights");
        assertRightsAreExactlyWhatTheOperatorUses(chart);
    }

    @Test
    void noRuleUsesAWildcardOrANonResourceUrl() {
        for (RenderedChart chart :
                List.of(HelmChart.render(), HelmChart.render(Map.of("watchNamespaces", List.of(WORKLOADS, "other"))))) {
            List<PolicyRule> rules = Stream.concat(
                            chart.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
                            chart.all(Role.class).stream().flatMap(r -> r.getRules().stream()))
                    .toList();
            assertFalse(rules.isEmpty());
            for (PolicyRule rule : rules) {
                Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs(), rule.getResourceNames())
                        .flatMap(List::stream)
                        .forEach(value -> assertFalse(value.contains("*"), "wildcard in " + rule));
                assertTrue(rule.getNonResourceURLs().isEmpty(), "non-resource URLs in " + rule);
            }
        }
    }

    private static void assertRightsAreExactlyWhatTheOperatorUses(RenderedChart chart) {
        ChartedOperator charted = ChartedOperator.of(chart);
        RbacPolicy rights = charted.rights(chart);
        List<AuthorizingDispatcher.Call> calls;
        try (AuthorizedMockCluster cluster = new AuthorizedMockCluster(rights)) {
            new OperatorWorkout(cluster, charted, WORKLOADS).run();
            calls = cluster.calls();
        }

        List<String> denied = calls.stream()
                .filter(c -> !c.denied().isEmpty())
                .map(c -> c.request() + " denied " + c.denied())
                .distinct()
                .toList();
        assertEquals(List.of(), denied, "requests the chart's RBAC forbids");

        Set<RbacPolicy.Permission> used = new LinkedHashSet<>();
        calls.forEach(c -> c.checks().forEach(check -> used.addAll(rights.permissionsUsedBy(check))));
        List<RbacPolicy.Permission> unneeded = new ArrayList<>();
        for (RbacPolicy.Permission permission : rights.permissions()) {
            if (!used.contains(permission) && startsWithout(charted, rights.without(permission))) {
                unneeded.add(permission);
            }
        }
        assertEquals(List.of(), unneeded, "permissions the operator neither used nor needed to start");
    }

    /** Whether the operator starts with fewer rights (it must not, for a permission it needs). */
    private static boolean startsWithout(ChartedOperator charted, RbacPolicy fewerRights) {
        try (AuthorizedMockCluster cluster = new AuthorizedMockCluster(fewerRights);
                EarshotOperator operator = new OperatorWorkout(cluster, charted, WORKLOADS).operator()) {
            operator.start();
            return true;
        } catch (RuntimeException refused) {
            return false;
        }
    }
}

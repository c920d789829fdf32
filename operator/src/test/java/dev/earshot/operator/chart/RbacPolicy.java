package dev.earshot.operator.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The RBAC authorizer of the API server, reduced to what a chart can grant: the rules of the
 * rendered (Cluster)Roles that the rendered (Cluster)RoleBindings give one ServiceAccount, plus
 * what Kubernetes' default ClusterRoles give every authenticated user. A ClusterRoleBinding grants
 * its ClusterRole everywhere; a RoleBinding grants its Role or ClusterRole in its namespace only.
 * Rules match on group, resource (with subresource), verb and, when a rule lists them, the name.
 */
final class RbacPolicy {

    /**
     * A rule the chart grants, and where: {@code namespace} null means cluster-wide.
     *
     * @param source the Role or ClusterRole, for messages
     */
    private record Grant(PolicyRule rule, String namespace, String source) {

        boolean matches(ApiRequest request) {
            if (namespace != null && !namespace.equals(request.namespace())) {
                return false;
            }
            return request.isResourceRequest()
                    && rule.getApiGroups().contains(request.group())
                    && rule.getResources().contains(request.qualifiedResource())
                    && rule.getVerbs().contains(request.verb())
                    && (rule.getResourceNames().isEmpty()
                            || rule.getResourceNames().contains(request.name()));
        }
    }

    /**
     * One permission of a rule: a verb on a resource in a group, where. The unit in which the tests
     * check that every permission is needed.
     */
    record Permission(String group, String resource, String verb, String namespace, String source) {

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource + " (" + source
                    + (namespace == null ? "" : " in " + namespace) + ")";
        }
    }

    /**
     * What Kubernetes' default ClusterRoles give every authenticated user: system:basic-user
     * (reviews of one's own rights) and system:discovery / system:public-info-viewer (version and
     * discovery paths). The chart need not, and should not, grant these.
     */
    static boolean grantedByDefault(ApiRequest request) {
        if (!request.isResourceRequest()) {
            String path = request.path();
            return request.verb().equals("get")
                    && (path.equals("/version")
                            || path.equals("/api")
                            || path.startsWith("/api/")
                            || path.equals("/apis")
                            || path.startsWith("/apis/")
                            || path.startsWith("/openapi")
                            || path.equals("/healthz")
                            || path.equals("/livez")
                            || path.equals("/readyz"));
        }
        return request.verb().equals("create")
                && request.subresource() == null
                && ((request.group().equals("authorization.k8s.io")
                                && (request.resource().equals("selfsubjectaccessreviews")
                                        || request.resource().equals("selfsubjectrulesreviews")))
                        || (request.group().equals("authentication.k8s.io")
                                && request.resource().equals("selfsubjectreviews")));
    }

    private final List<Grant> grants;

    private RbacPolicy(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    /** The grants that the rendered bindings give the ServiceAccount {@code namespace/name}. */
    static RbacPolicy of(List<HasMetadata> objects, String namespace, String name) {
        Predicate<List<Subject>> bindsAccount = subjects -> subjects.stream()
                .anyMatch(s -> "ServiceAccount".equals(s.getKind())
                        && name.equals(s.getName())
                        && namespace.equals(s.getNamespace()));
        List<Grant> grants = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof ClusterRoleBinding binding && bindsAccount.test(binding.getSubjects())) {
                rules(objects, binding.getRoleRef(), null)
                        .forEach(r -> grants.add(new Grant(
                                r, null, "ClusterRole " + binding.getRoleRef().getName())));
            } else if (object instanceof RoleBinding binding && bindsAccount.test(binding.getSubjects())) {
                String where = binding.getMetadata().getNamespace();
                RoleRef ref = binding.getRoleRef();
                rules(objects, ref, where)
                        .forEach(r -> grants.add(new Grant(r, where, ref.getKind() + " " + ref.getName())));
            }
        }
        return new RbacPolicy(grants);
    }

    private static List<PolicyRule> rules(List<HasMetadata> objects, RoleRef ref, String namespace) {
        return objects.stream()
                .flatMap(o -> switch (o) {
                    case ClusterRole role
                    when ref.getKind().equals("ClusterRole")
                            && role.getMetadata().getName().equals(ref.getName()) -> role.getRules().stream();
                    case Role role
                    when ref.getKind().equals("Role")
                            && role.getMetadata().getName().equals(ref.getName())
                            && Objects.equals(role.getMetadata().getNamespace(), namespace) -> role.getRules().stream();
                    default -> Stream.empty();
                })
                .toList();
    }

    /** Whether the ServiceAccount may make this request. */
    boolean allows(ApiRequest request) {
        return grantedByDefault(request) || grants.stream().anyMatch(g -> g.matches(request));
    }

    /** The permissions that would allow this request. */
    Set<Permission> permissionsUsedBy(ApiRequest request) {
        Set<Permission> used = new LinkedHashSet<>();
        grants.stream()
                .filter(g -> g.matches(request))
                .forEach(g -> used.add(new Permission(
                        request.group(), request.qualifiedResource(), request.verb(), g.namespace(), g.source())));
        return used;
    }

    /** Every permission the chart grants, one per group, resource and verb of each rule. */
    Set<Permission> permissions() {
        Set<Permission> all = new LinkedHashSet<>();
        for (Grant grant : grants) {
            for (String group : grant.rule().getApiGroups()) {
                for (String resource : grant.rule().getResources()) {
                    for (String verb : grant.rule().getVerbs()) {
                        all.add(new Permission(group, resource, verb, grant.namespace(), grant.source()));
                    }
                }
            }
        }
        return all;
    }

    /** The rules that apply in a namespace, as a SelfSubjectRulesReview reports them. */
    List<PolicyRule> rulesIn(String namespace) {
        return grants.stream()
                .filter(g -> g.namespace() == null || g.namespace().equals(namespace))
                .map(Grant::rule)
                .toList();
    }

    /**
     * This policy without one permission. The rule that grants it is split into one rule per group
     * and resource, and the one for the permission loses the verb (or disappears with its last).
     */
    RbacPolicy without(Permission permission) {
        List<Grant> kept = new ArrayList<>();
        for (Grant grant : grants) {
            if (!Objects.equals(grant.namespace(), permission.namespace())
                    || !grant.source().equals(permission.source())) {
                kept.add(grant);
                continue;
            }
            PolicyRule rule = grant.rule();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    boolean hit = group.equals(permission.group()) && resource.equals(permission.resource());
                    List<String> verbs = rule.getVerbs().stream()
                            .filter(v -> !hit || !v.equals(permission.verb()))
                            .toList();
                    if (!verbs.isEmpty()) {
                        PolicyRule narrowed = new PolicyRuleBuilder(rule)
                                .withApiGroups(group)
                                .withResources(resource)
                                .withVerbs(verbs)
                                .build();
                        kept.add(new Grant(narrowed, grant.namespace(), grant.source()));
                    }
                }
            }
        }
        return new RbacPolicy(kept);
    }
}

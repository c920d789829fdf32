package dev.earshot.operator.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks of Kubernetes' OwnerReferencesPermissionEnforcement admission plugin (on in many
 * clusters, OpenShift among them), which RBAC alone does not show: setting
 * {@code blockOwnerDeletion} on a reference needs {@code update} on the owner's
 * {@code finalizers} subresource, and changing the references of an existing object needs
 * {@code delete} on that object. JSON patches (arrays of operations) are not evaluated.
 */
final class OwnerReferenceAdmission {

    private OwnerReferenceAdmission() {}

    /**
     * The extra authorization checks of a write.
     *
     * @param request the write (create, update or patch)
     * @param body the object sent, as JSON, or null
     * @param current the object before the write, as JSON, or null when it is being created
     */
    static List<ApiRequest> checks(ApiRequest request, String body, String current) {
        if (body == null || body.isBlank() || body.stripLeading().startsWith("[")) {
            return List.of();
        }
        List<OwnerReference> sent = references(body).orElse(null);
        if (sent == null) {
            return List.of(); // references untouched
        }
        List<OwnerReference> before =
                current == null ? List.of() : references(current).orElse(List.of());
        List<ApiRequest> checks = new ArrayList<>();
        if (current != null && !sameReferences(sent, before)) {
            checks.add(request.withVerb("delete"));
        }
        Set<String> blockingBefore = before.stream()
                .filter(r -> Boolean.TRUE.equals(r.getBlockOwnerDeletion()))
                .map(OwnerReference::getUid)
                .collect(Collectors.toSet());
        for (OwnerReference reference : sent) {
            if (Boolean.TRUE.equals(reference.getBlockOwnerDeletion())
                    && !blockingBefore.contains(reference.getUid())) {
                checks.add(finalizersOf(reference, request.namespace()));
            }
        }
        return checks;
    }

    private static Optional<List<OwnerReference>> references(String json) {
        GenericKubernetesResource object = RenderedChart.SERIALIZATION.unmarshal(json, GenericKubernetesResource.class);
        return Optional.ofNullable(object.getMetadata())
                .map(m -> m.getOwnerReferences())
                .filter(refs -> !refs.isEmpty());
    }

    private static boolean sameReferences(List<OwnerReference> a, List<OwnerReference> b) {
        return a.size() == b.size()
                && a.stream()
                        .allMatch(x -> b.stream()
                                .anyMatch(y -> Objects.equals(x.getUid(), y.getUid())
                                        && Objects.equals(x.getKind(), y.getKind())
                                        && Objects.equals(x.getController(), y.getController())
                                        && Objects.equals(x.getBlockOwnerDeletion(), y.getBlockOwnerDeletion())));
    }

    /** {@code update <owner plural>/finalizers <owner name>} in the object's namespace. */
    private static ApiRequest finalizersOf(OwnerReference owner, String namespace) {
        String apiVersion = owner.getApiVersion();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        Class<? extends KubernetesResource> type =
                RenderedChart.SERIALIZATION.getRegisteredKubernetesResource(apiVersion, owner.getKind());
        if (type == null || !HasMetadata.class.isAssignableFrom(type)) {
            throw new IllegalStateException("unknown owner kind " + apiVersion + "/" + owner.getKind());
        }
        @SuppressWarnings("unchecked")
        String plural = HasMetadata.getPlural((Class<? extends HasMetadata>) type);
        return new ApiRequest(
                "update",
                group,
                plural,
                "finalizers",
                namespace,
                owner.getName(),
                "(admission: blockOwnerDeletion on " + owner.getKind() + " " + owner.getName() + ")");
    }
}

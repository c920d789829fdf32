package dev.earshot.operator.reconcile;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.model.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Map;
import java.util.Set;

/**
 * The informer over gateway pods, for the autoscaler's cache. Pods belong to a ReplicaSet, not to
 * the SpeechService, so they are mapped to it by the {@code app.kubernetes.io/instance} label the
 * pod template carries. A pod event triggers no reconcile: nothing the reconciler writes depends
 * on a pod, and the autoscaler reads the pods at its own pace.
 */
final class GatewayPodEvents {

    /** Name of the event source. */
    static final String NAME = "gateway-pods";

    private GatewayPodEvents() {}

    static InformerEventSource<Pod, SpeechService> create(EventSourceContext<SpeechService> context) {
        return new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, SpeechService.class)
                        .withName(NAME)
                        .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGER)
                        .withSecondaryToPrimaryMapper(GatewayPodEvents::owner)
                        .withGenericFilter(pod -> false)
                        .build(),
                context);
    }

    private static Set<ResourceID> owner(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String instance = labels == null ? null : labels.get(Labels.INSTANCE);
        return instance == null
                ? Set.of()
                : Set.of(new ResourceID(instance, pod.getMetadata().getNamespace()));
    }
}

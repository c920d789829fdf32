package dev.earshot.operator.autoscale;

import dev.earshot.operator.crd.SpeechService;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Optional;

/**
 * What the autoscaler reads about a SpeechService, from the operator's informer caches: a poll
 * sends no request to the API server, so polling costs the cluster nothing however many
 * SpeechServices there are. The reconciler builds it from its event sources.
 */
public interface ClusterView {

    /** The SpeechService, unless it was deleted. */
    Optional<SpeechService> speechService(ResourceID id);

    /** Its Deployment, once the reconciler has created it. */
    Optional<Deployment> deployment(ResourceID id);

    /** Its pods, in any state. */
    List<Pod> pods(SpeechService owner);
}

package dev.earshot.operator.model;

import dev.earshot.operator.crd.SpeechService;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.HashMap;

/**
 * Metadata shared by all generated objects: same name and namespace as the SpeechService, our
 * labels, and a controller owner reference so that deleting the SpeechService garbage-collects
 * everything and the informers map events back to it.
 */
public final class Owners {

    private Owners() {}

    /** The controller reference to a SpeechService. */
    public static OwnerReference reference(SpeechService owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** Metadata for an object owned by the SpeechService. */
    public static ObjectMeta metadata(SpeechService owner) {
        return new ObjectMetaBuilder()
                .withName(owner.getMetadata().getName())
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(Labels.all(owner))
                .withAnnotations(new HashMap<>())
                .withOwnerReferences(reference(owner))
                .build();
    }
}

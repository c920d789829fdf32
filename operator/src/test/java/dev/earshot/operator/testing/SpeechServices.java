package dev.earshot.operator.testing;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.crd.SpeechServiceSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Test fixtures: SpeechService objects as a user would write them. */
public final class SpeechServices {

    private SpeechServices() {}

    /** A SpeechService with only the required field set, as created by {@code kubectl apply}. */
    public static SpeechService minimal(String namespace, String name, String image) {
        SpeechService resource = new SpeechService();
        resource.setMetadata(new ObjectMetaBuilder()
                .withNamespace(namespace)
                .withName(name)
                .withUid("uid-" + name)
                .build());
        SpeechServiceSpec spec = new SpeechServiceSpec();
        spec.setImage(image);
        resource.setSpec(spec);
        return resource;
    }

    /** Like {@link #minimal}, but without a uid: the API server assigns it on create. */
    public static SpeechService toCreate(String namespace, String name, String image) {
        SpeechService resource = minimal(namespace, name, image);
        resource.getMetadata().setUid(null);
        return resource;
    }
}

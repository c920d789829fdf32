package dev.earshot.operator.model;

import dev.earshot.operator.crd.SpeechService;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recommended {@code app.kubernetes.io/*} labels. The selector uses only name and instance,
 * which never change for a resource: a Deployment selector is immutable.
 */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    public static final String APP = "earshot";
    public static final String MANAGER = "earshot-operator";

    private Labels() {}

    /** Labels that pick the pods of one SpeechService. */
    public static Map<String, String> selector(SpeechService owner) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, APP);
        labels.put(INSTANCE, owner.getMetadata().getName());
        return labels;
    }

    /** Labels on every object the operator creates for one SpeechService. */
    public static Map<String, String> all(SpeechService owner) {
        Map<String, String> labels = selector(owner);
        labels.put(COMPONENT, "gateway");
        labels.put(PART_OF, APP);
        labels.put(MANAGED_BY, MANAGER);
        return labels;
    }
}

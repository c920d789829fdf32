package dev.earshot.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.earshot.operator.crd.SpeechService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Arrays;
import java.util.List;

/**
 * A multi-document YAML stream ({@code helm template} output, an example file) parsed by fabric8
 * into typed objects, SpeechService included, so tests check the model classes the operator uses
 * rather than YAML text.
 */
final class RenderedChart {

    /** Understands the Kubernetes kinds and SpeechService. */
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static {
        SERIALIZATION.registerKubernetesResource(SpeechService.class);
    }

    private final List<HasMetadata> objects;

    private RenderedChart(List<HasMetadata> objects) {
        this.objects = List.copyOf(objects);
    }

    /** Splits a multi-document stream and parses every non-empty document. */
    static RenderedChart parse(String yaml) {
        List<HasMetadata> objects = Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(doc -> doc.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#")))
                .map(doc -> (HasMetadata) SERIALIZATION.unmarshal(doc))
                .toList();
        return new RenderedChart(objects);
    }

    List<HasMetadata> objects() {
        return objects;
    }

    /** All objects of a kind. */
    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** The only object of a kind. */
    <T extends HasMetadata> T one(Class<T> kind) {
        List<T> found = all(kind);
        assertEquals(
                1,
                found.size(),
                () -> "expected one " + kind.getSimpleName() + ", got "
                        + found.stream().map(o -> o.getMetadata().getName()).toList());
        return found.get(0);
    }

    /** The object of a kind with a name. */
    <T extends HasMetadata> T named(Class<T> kind, String name) {
        return all(kind).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name + " among "
                        + objects.stream().map(RenderedChart::describe).toList()));
    }

    static String describe(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        return object.getKind() + " " + (namespace == null ? "" : namespace + "/")
                + object.getMetadata().getName();
    }
}

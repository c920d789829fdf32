package dev.earshot.operator.chart;

import dev.earshot.operator.crd.SpeechService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The manifests under {@code examples/}, parsed, and the chart values that install an example's
 * SpeechService through the chart ({@code speechService.enabled}) instead of kubectl.
 */
final class Examples {

    private Examples() {}

    /** Every example file, sorted. */
    static List<Path> files() {
        try (Stream<Path> files = Files.list(Repository.examples())) {
            List<Path> found =
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalStateException("no examples in " + Repository.examples());
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of an example file. */
    static RenderedChart parse(Path file) {
        return RenderedChart.parse(Repository.read(file));
    }

    /** The one SpeechService of an example file. */
    static SpeechService speechService(Path file) {
        return parse(file).one(SpeechService.class);
    }

    /** Values that make the chart render this example's SpeechService. */
    static Map<String, Object> chartValues(Path file) {
        SpeechService example = speechService(file);
        Map<String, Object> speechService = new LinkedHashMap<>();
        speechService.put("enabled", true);
        speechService.put("name", example.getMetadata().getName());
        speechService.put("spec", specAsMap(example));
        return Map.of("speechService", speechService);
    }

    /** A SpeechService's spec as plain maps and lists, as it appears in YAML. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> specAsMap(SpeechService resource) {
        return RenderedChart.SERIALIZATION.convertValue(resource.getSpec(), Map.class);
    }

    /** The file name without directory, for messages. */
    static String name(Path file) {
        return file.getFileName().toString();
    }
}

package dev.earshot.operator.chart;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code helm lint --strict}: with the chart's defaults, and with each example as the chart's
 * SpeechService. Lint takes no values, so each example is linted in a copy of the chart whose
 * values.yaml has the example merged in.
 */
class ChartLintTest {

    @TempDir
    Path temp;

    static List<Path> examples() {
        return Examples.files();
    }

    @Test
    void theChartLintsCleanWithItsDefaults() {
        LintResult result = HelmChart.lint();
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theChartLintsCleanWithEachExampleAsItsSpeechService(Path example) throws IOException {
        Path chart = copyOfChart();
        Map<String, Object> values = Serialization.unmarshal(Files.readString(chart.resolve("values.yaml")), Map.class);
        Files.writeString(
                chart.resolve("values.yaml"), Serialization.asYaml(merge(values, Examples.chartValues(example))));
        LintResult result = HelmChart.lint(chart);
        assertFalse(result.isFailed(), Examples.name(example) + ":\n" + String.join("\n", result.getMessages()));
    }

    @Test
    void theChartLintsCleanWithThePrometheusOperatorsObjects() throws IOException {
        Path chart = copyOfChart();
        Map<String, Object> values = Serialization.unmarshal(Files.readString(chart.resolve("values.yaml")), Map.class);
        Map<String, Object> monitoring = Map.of(
                "monitoring", Map.of("podMonitors", true, "prometheusRule", true, "labels", Map.of("release", "kps")));
        Files.writeString(chart.resolve("values.yaml"), Serialization.asYaml(merge(values, monitoring)));
        LintResult result = HelmChart.lint(chart);
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
    }

    @Test
    void lintFailsWhenAValueBreaksTheSchema() throws IOException {
        Path chart = copyOfChart();
        Files.writeString(chart.resolve("values.yaml"), "replicaCount: 0\n", StandardOpenOption.APPEND);
        LintResult result = HelmChart.lint(chart);
        assertTrue(result.isFailed(), "a broken chart must fail lint, else the lint tests prove nothing");
    }

    private Path copyOfChart() throws IOException {
        Path source = Repository.chart();
        Path target = temp.resolve("earshot-operator");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return target;
    }

    /** Deep merge: maps merge key by key, anything else in {@code override} wins. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map && merged.get(key) instanceof Map<?, ?> existing) {
                merged.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) map));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }
}

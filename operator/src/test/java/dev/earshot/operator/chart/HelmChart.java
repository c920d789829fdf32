package dev.earshot.operator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs Helm (the Go library inside helm-java) on {@code charts/earshot-operator}: {@code helm
 * template} with given values and {@code helm lint --strict}. Values go through a values file, as
 * users pass them, so lists and maps need no {@code --set} escaping.
 */
final class HelmChart {

    /** Release name and namespace of every rendering. */
    static final String RELEASE = "earshot";

    static final String NAMESPACE = "earshot-system";

    private HelmChart() {}

    /** {@code helm template earshot charts/earshot-operator -n earshot-system -f values}. */
    static RenderedChart render(Map<String, ?> values) {
        Path file = valuesFile(values);
        try {
            String yaml = new Helm(Repository.chart())
                    .template()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .withValuesFile(file)
                    .call();
            return RenderedChart.parse(yaml);
        } finally {
            delete(file);
        }
    }

    /** The chart with its default values. */
    static RenderedChart render() {
        return render(Map.of());
    }

    /** {@code helm lint --strict} of the chart as it is. */
    static LintResult lint() {
        return lint(Repository.chart());
    }

    /** {@code helm lint --strict} of a chart directory. */
    static LintResult lint(Path chart) {
        return new Helm(chart).lint().strict().call();
    }

    private static Path valuesFile(Map<String, ?> values) {
        try {
            Path file = Files.createTempFile("earshot-values-", ".yaml");
            Files.writeString(file, Serialization.asYaml(values));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

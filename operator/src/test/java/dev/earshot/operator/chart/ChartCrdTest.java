package dev.earshot.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.testing.MockCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Helm installs the CRD from the chart's {@code crds/}; it must be byte for byte the CRD in the
 * repository's {@code crds/} and the one the build generates from the Java types.
 * {@code -Dearshot.crds.update=true} refreshes the chart's copy along with {@code crds/}.
 */
class ChartCrdTest {

    private static final String FILE = SpeechService.CRD_NAME + "-v1.yml";

    @Test
    void theChartsCrdIsTheRepositorysCrdAndTheGeneratedOne() throws IOException {
        String generated;
        try (InputStream in = ChartCrdTest.class.getResourceAsStream(MockCluster.GENERATED_CRD)) {
            assertNotNull(in, "generated CRD missing from the classpath");
            generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path inChart = Repository.chart().resolve("crds").resolve(FILE);
        if (Boolean.getBoolean("earshot.crds.update")) {
            Files.writeString(inChart, generated);
        }
        assertEquals(
                generated,
                Files.readString(inChart),
                inChart + " differs from the generated CRD;"
                        + " run ./mvnw -pl operator verify -Dearshot.crds.update=true");
        assertEquals(
                Files.readString(Repository.root().resolve("crds").resolve(FILE)),
                Files.readString(inChart),
                "the chart's CRD differs from crds/" + FILE);
        try (Stream<Path> files = Files.list(inChart.getParent())) {
            assertEquals(
                    List.of(FILE),
                    files.map(f -> f.getFileName().toString()).toList(),
                    "the chart installs no other CRD");
        }
    }
}

package dev.earshot.operator.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.testing.MockCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The CRD under {@code crds/} is what users apply, so it must be exactly what the build generates
 * from the Java types. To refresh it after changing the types, run
 * {@code ./mvnw -pl operator verify -Dearshot.crds.update=true}.
 */
class CrdYamlTest {

    private static final String FILE = SpeechService.CRD_NAME + "-v1.yml";

    private static String generated() throws IOException {
        try (InputStream in = CrdYamlTest.class.getResourceAsStream(MockCluster.GENERATED_CRD)) {
            assertNotNull(in, "generated CRD missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Path committed() {
        return Path.of(System.getProperty("earshot.crds.dir", "../crds")).resolve(FILE);
    }

    @Test
    void committedCrdIsIdenticalToTheGeneratedOne() throws IOException {
        String generated = generated();
        Path committed = committed();
        if (Boolean.getBoolean("earshot.crds.update")) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, generated);
        }
        assertTrue(Files.exists(committed), committed + " is missing; run with -Dearshot.crds.update=true");
        assertEquals(
                generated,
                Files.readString(committed),
                committed + " differs from the CRD generated from the Java types;"
                        + " run ./mvnw -pl operator verify -Dearshot.crds.update=true and commit the result");
    }

    @Test
    void crdIsNamespacedWithStatusSubresourceAndPrinterColumns() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(generated(), CustomResourceDefinition.class);
        assertEquals("speechservices.earshot.dev", crd.getMetadata().getName());
        assertEquals("Namespaced", crd.getSpec().getScope());
        assertEquals("SpeechService", crd.getSpec().getNames().getKind());
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
        assertEquals("v1alpha1", version.getName());
        assertNotNull(version.getSubresources().getStatus(), "status subresource");
        Set<String> columns = version.getAdditionalPrinterColumns().stream()
                .map(CustomResourceColumnDefinition::getName)
                .collect(Collectors.toSet());
        assertEquals(Set.of("Desired", "Ready", "Draining", "Sessions", "Age"), columns);
    }

    @Test
    void schemaRequiresTheImageAndChecksTargetAgainstMax() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(generated(), CustomResourceDefinition.class);
        JSONSchemaProps spec = crd.getSpec()
                .getVersions()
                .get(0)
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec");
        assertEquals(java.util.List.of("image"), spec.getRequired());
        JSONSchemaProps sessions = spec.getProperties().get("sessions");
        assertEquals(
                "self.targetPerReplica <= self.maxPerReplica",
                sessions.getXKubernetesValidations()
                        .get(0)
                        .getRule()
                        .replace("!has(self.targetPerReplica) || !has(self.maxPerReplica) || ", ""));
        assertEquals(
                "100",
                sessions.getProperties().get("targetPerReplica").getDefault().toString());
        assertEquals(
                "150",
                sessions.getProperties().get("maxPerReplica").getDefault().toString());
        assertEquals(
                "300",
                spec.getProperties()
                        .get("scaling")
                        .getProperties()
                        .get("scaleDownStabilizationSeconds")
                        .getDefault()
                        .toString());
    }
}

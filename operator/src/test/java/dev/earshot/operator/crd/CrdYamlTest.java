package dev.earshot.operator.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.testing.MockCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        assertEquals(Set.of("Desired", "Ready", "Sessions", "Age"), columns);
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

    private static JSONSchemaProps specSchema() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(generated(), CustomResourceDefinition.class);
        return crd.getSpec()
                .getVersions()
                .get(0)
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec");
    }

    /**
     * The mock API server evaluates no CEL, so this checks the rules' text: both are in the CRD,
     * with a message, and every mode they name is one the schema admits.
     */
    @Test
    void authRulesRejectAnApiKeyModeWithoutItsSecretAndAJwtModeWithoutItsProvider() throws IOException {
        JSONSchemaProps auth = specSchema().getProperties().get("auth");
        assertEquals(List.of("mode"), auth.getRequired());
        List<ValidationRule> rules = auth.getXKubernetesValidations();
        assertEquals(
                List.of(AuthSpec.API_KEY_RULE, AuthSpec.JWT_RULE),
                rules.stream().map(ValidationRule::getRule).toList());
        assertTrue(
                rules.get(0).getMessage().contains("auth.apiKeysSecretRef"),
                rules.get(0).getMessage());
        assertTrue(
                rules.get(1).getMessage().contains("auth.jwt.jwksConfigMapRef"),
                rules.get(1).getMessage());
        assertTrue(rules.get(0).getRule().contains("has(self.apiKeysSecretRef)"));
        assertTrue(rules.get(1).getRule().contains("has(self.jwt.issuer)"));

        Pattern modes = Pattern.compile(auth.getProperties().get("mode").getPattern());
        for (String mode : List.of("none", "api-key", "jwt", "api-key,jwt")) {
            assertTrue(modes.matcher(mode).matches(), mode);
        }
        assertFalse(modes.matcher("apikey").matches());
        Matcher literal =
                Pattern.compile("'([^']*)'").matcher(String.join(" ", AuthSpec.API_KEY_RULE, AuthSpec.JWT_RULE));
        int literals = 0;
        while (literal.find()) {
            literals++;
            assertTrue(modes.matcher(literal.group(1)).matches(), "a mode the schema admits: " + literal.group(1));
        }
        assertEquals(4, literals);
    }

    /** A rule that names a field the schema does not have fails every request; rename both or neither. */
    @Test
    void everyFieldACelRuleNamesIsInTheSchemaWhereTheRuleIs() throws IOException {
        List<String> checked = new ArrayList<>();
        checkRules(specSchema(), "spec", checked);
        assertTrue(checked.size() >= 4, "the rules of replicas, sessions and auth: " + checked);
    }

    private static void checkRules(JSONSchemaProps node, String where, List<String> checked) {
        if (node.getXKubernetesValidations() != null) {
            for (ValidationRule rule : node.getXKubernetesValidations()) {
                Matcher path =
                        Pattern.compile("self((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)").matcher(rule.getRule());
                while (path.find()) {
                    JSONSchemaProps field = node;
                    for (String name : path.group(1).substring(1).split("\\.")) {
                        field = field.getProperties() == null
                                ? null
                                : field.getProperties().get(name);
                        assertNotNull(field, where + ": rule " + rule.getRule() + " names " + path.group());
                    }
                    checked.add(where + ":" + path.group());
                }
            }
        }
        if (node.getProperties() != null) {
            node.getProperties().forEach((name, child) -> checkRules(child, where + "." + name, checked));
        }
    }
}

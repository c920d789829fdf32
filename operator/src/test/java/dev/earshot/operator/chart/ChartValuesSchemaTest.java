package dev.earshot.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.operator.testing.MockCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code values.schema.json} turns bad values into an error at {@code helm install}, naming the
 * value, instead of a broken release; it knows every value of {@code values.yaml}, and the
 * SpeechService spec fields of the CRD.
 */
class ChartValuesSchemaTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(Map.of("replicaCount", 0), "replicaCount"),
                Arguments.of(Map.of("replicas", 2), "replicas"),
                Arguments.of(Map.of("image", Map.of("pullPolicy", "Sometimes")), "pullPolicy"),
                Arguments.of(Map.of("imagePullSecrets", List.of("regcred")), "imagePullSecrets"),
                Arguments.of(Map.of("watchNamespaces", List.of("Not_A_Namespace")), "watchNamespaces"),
                Arguments.of(Map.of("watchNamespaces", "speech"), "watchNamespaces"),
                Arguments.of(Map.of("metrics", Map.of("port", 70000)), "port"),
                Arguments.of(Map.of("scrapeTimeoutMs", "2s"), "scrapeTimeoutMs"),
                Arguments.of(Map.of("leaderElection", Map.of("enabled", false)), "replicaCount"),
                Arguments.of(Map.of("rbac", Map.of("create", "yes")), "create"),
                Arguments.of(Map.of("speechService", Map.of("name", "Earshot_1")), "name"),
                Arguments.of(Map.of("speechService", Map.of("spec", Map.of("replica", Map.of("min", 2)))), "replica"),
                Arguments.of(
                        Map.of("speechService", Map.of("spec", Map.of("sessions", Map.of("maxPerReplica", 0)))),
                        "maxPerReplica"),
                Arguments.of(Map.of("speechService", Map.of("spec", Map.of("auth", Map.of("mode", "apikey")))), "mode"),
                Arguments.of(
                        Map.of("speechService", Map.of("spec", Map.of("auth", Map.of("mode", "api-key")))),
                        "apiKeysSecretRef"),
                Arguments.of(
                        Map.of(
                                "speechService",
                                Map.of(
                                        "spec",
                                        Map.of(
                                                "auth",
                                                Map.of("mode", "jwt", "jwt", Map.of("issuer", "https://idp/"))))),
                        "audience"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void aBadValueIsRejectedByName(Map<String, ?> values, String named) {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> HelmChart.render(values));
        assertTrue(error.getMessage().contains("schema"), error.getMessage());
        assertTrue(error.getMessage().contains(named), error.getMessage());
    }

    @Test
    void theSchemaDescribesEveryTopLevelValueAndNoOther() {
        JsonNode schema = schema();
        Map<String, Object> values =
                Serialization.unmarshal(Repository.read(Repository.chart().resolve("values.yaml")), Map.class);
        assertEquals(new TreeSet<>(values.keySet()), names(schema.get("properties")));
        assertTrue(
                schema.get("additionalProperties").isBoolean()
                        && !schema.get("additionalProperties").asBoolean(),
                "unknown values are errors");
    }

    @Test
    void theSpeechServiceSpecOfTheSchemaHasTheFieldsOfTheCrd() throws IOException {
        CustomResourceDefinition crd;
        try (InputStream in = getClass().getResourceAsStream(MockCluster.GENERATED_CRD)) {
            crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        }
        Set<String> crdFields = new TreeSet<>(crd.getSpec()
                .getVersions()
                .get(0)
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec")
                .getProperties()
                .keySet());
        JsonNode spec = schema().get("definitions").get("speechServiceSpec");
        assertEquals(crdFields, names(spec.get("properties")));
    }

    private static JsonNode schema() {
        return Serialization.unmarshal(
                Repository.read(Repository.chart().resolve("values.schema.json")), JsonNode.class);
    }

    private static Set<String> names(JsonNode properties) {
        Set<String> names = new TreeSet<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

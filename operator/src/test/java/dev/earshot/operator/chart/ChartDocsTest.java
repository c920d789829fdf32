package dev.earshot.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README documents every chart value. A value is a key of {@code values.yaml}, down to where
 * the schema stops listing fields or marks a Kubernetes structure ({@code "$comment": "Kubernetes
 * ..."}, e.g. {@code resources}) that is documented as one value; each must appear in the README
 * as {@code `key`}.
 */
class ChartDocsTest {

    @Test
    void theReadmeNamesEveryChartValue() {
        JsonNode schema = Serialization.unmarshal(
                Repository.read(Repository.chart().resolve("values.schema.json")), JsonNode.class);
        Map<String, Object> values =
                Serialization.unmarshal(Repository.read(Repository.chart().resolve("values.yaml")), Map.class);
        List<String> keys = new ArrayList<>();
        collect("", values, schema, schema, keys);
        assertTrue(keys.contains("image.repository") && keys.contains("speechService.spec"), keys.toString());

        String readme = Repository.read(Repository.root().resolve("README.md"));
        List<String> missing =
                keys.stream().filter(k -> !readme.contains("`" + k + "`")).toList();
        assertEquals(List.of(), missing, "chart values missing from README.md");
    }

    @SuppressWarnings("unchecked")
    private static void collect(
            String prefix, Map<String, Object> values, JsonNode node, JsonNode root, List<String> keys) {
        JsonNode properties = resolve(node, root).get("properties");
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            String key = prefix + entry.getKey();
            JsonNode child = resolve(properties.get(entry.getKey()), root);
            boolean listsFields = child.has("properties")
                    && child.has("additionalProperties")
                    && !child.get("additionalProperties").asBoolean(true)
                    && !child.path("$comment").asText().startsWith("Kubernetes ");
            if (listsFields && entry.getValue() instanceof Map<?, ?> map) {
                collect(key + ".", (Map<String, Object>) map, child, root, keys);
            } else {
                keys.add(key);
            }
        }
    }

    private static JsonNode resolve(JsonNode node, JsonNode root) {
        if (node != null && node.has("$ref")) {
            return root.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }
}

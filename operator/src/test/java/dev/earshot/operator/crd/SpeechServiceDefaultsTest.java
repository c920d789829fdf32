package dev.earshot.operator.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.earshot.operator.model.SpeechServiceConfig;
import dev.earshot.operator.testing.MockCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A default is stated once, as a {@code DEFAULT_*} constant beside its field; these tests hold the
 * three places that show it to that: the generated schema ({@code @Default}), the operator's own
 * defaults for a resource without the field ({@link SpeechServiceConfig#from}), and the field table
 * of docs/operator.md.
 */
class SpeechServiceDefaultsTest {

    /** Every default in the generated CRD's spec schema, by field path ({@code scaling.pollSeconds}). */
    private static Map<String, Object> schemaDefaults() throws IOException {
        try (InputStream in = SpeechServiceDefaultsTest.class.getResourceAsStream(MockCluster.GENERATED_CRD)) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            JSONSchemaProps spec = crd.getSpec()
                    .getVersions()
                    .get(0)
                    .getSchema()
                    .getOpenAPIV3Schema()
                    .getProperties()
                    .get("spec");
            Map<String, Object> defaults = new TreeMap<>();
            collect("", spec, defaults);
            return defaults;
        }
    }

    private static void collect(String prefix, JSONSchemaProps schema, Map<String, Object> defaults) {
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().forEach((name, property) -> {
            String path = prefix + name;
            if (property.getDefault() != null) {
                defaults.put(path, Serialization.unmarshal(property.getDefault().toString(), Object.class));
            }
            collect(path + ".", property, defaults);
        });
    }

    /** A spec as the API server stores it after defaulting: every schema default filled in. */
    private static SpeechServiceSpec defaulted(Map<String, Object> defaults) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("image", "earshot:1.0");
        defaults.forEach((path, value) -> {
            Map<String, Object> node = tree;
            String[] parts = path.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child =
                        (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
                node = child;
            }
            node.put(parts[parts.length - 1], value);
        });
        return Serialization.unmarshal(Serialization.asJson(tree), SpeechServiceSpec.class);
    }

    private static SpeechServiceConfig valid(SpeechServiceSpec spec) {
        return assertInstanceOf(SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(spec))
                .config();
    }

    @Test
    void aResourceWithoutDefaultsIsReadWithTheSchemasDefaults() throws IOException {
        Map<String, Object> defaults = schemaDefaults();
        assertFalse(defaults.isEmpty());
        SpeechServiceSpec bare = Serialization.unmarshal("{\"image\":\"earshot:1.0\"}", SpeechServiceSpec.class);
        assertEquals(valid(defaulted(defaults)), valid(bare));
        SpeechServiceSpec built = new SpeechServiceSpec();
        built.setImage("earshot:1.0");
        assertEquals(
                valid(defaulted(defaults)),
                valid(Serialization.unmarshal(Serialization.asJson(built), SpeechServiceSpec.class)),
                "a spec built in Java (empty nested objects) gets the same defaults");
    }

    @Test
    void docsOperatorMdShowsEachDefaultOfTheSchema() throws IOException {
        String docs = Files.readString(
                Path.of(System.getProperty("earshot.repo.dir", "..")).resolve("docs/operator.md"));
        // "| `replicas.min` / `replicas.max` | 1 / 10 | ..." and "| `port` | 8080 | ..."
        Map<String, String> documented = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| (`[^|]+`) \\| ([^|]+) \\|").matcher(docs);
        while (row.find()) {
            String[] fields = row.group(1).split(" / ");
            String[] values = row.group(2).trim().split(" / ");
            for (int i = 0; i < fields.length; i++) {
                documented.put(fields[i].replace("`", "").trim(), values[Math.min(i, values.length - 1)].trim());
            }
        }
        schemaDefaults().forEach((field, value) -> {
            String shown = documented.get(field);
            assertNotNull(shown, field + " (default " + value + ") is missing from the table in docs/operator.md");
            assertEquals(String.valueOf(value), shown, "the default of " + field + " in docs/operator.md");
        });
    }
}

package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * An entry of a Secret or ConfigMap in the SpeechService's namespace that the gateway pods read
 * as a file. The operator only names it in the pod spec: the content never passes through the
 * operator, and the operator needs no right to read Secrets. The field that holds a reference says
 * which kind it is and which key it takes when {@code key} is unset.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyFileRef {

    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Name of the Secret or ConfigMap.")
    private String name;

    @JsonPropertyDescription("Key within it; unset: the key named in the field's description.")
    private String key;

    public KeyFileRef() {}

    public KeyFileRef(String name, String key) {
        this.name = name;
        this.key = key;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }
}

package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A key in a Secret of the SpeechService's namespace; the value never passes through the operator. */
public class SecretKeyRef {

    @Required
    @JsonPropertyDescription("Name of the Secret.")
    private String name;

    @Required
    @JsonPropertyDescription("Key within the Secret.")
    private String key;

    public SecretKeyRef() {}

    public SecretKeyRef(String name, String key) {
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

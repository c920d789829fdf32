package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.List;

/** Where recognition happens: an external Riva (or NVCF) endpoint, or the recognizer in each pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Riva {

    @JsonPropertyDescription("host:port of the Riva server; empty runs the embedded recognizer in each pod.")
    private String endpoint = "";

    @Default("false")
    @JsonPropertyDescription("Use TLS towards the Riva endpoint.")
    private Boolean tls = false;

    @JsonPropertyDescription("NVCF function id, sent as metadata when calling a hosted Riva.")
    private String functionId;

    @JsonPropertyDescription("Secret key holding the API key for the Riva endpoint.")
    private SecretKeyRef apiKeySecretRef;

    @JsonPropertyDescription("Riva models clients may name in config.model (riva.allowed-models); another is refused"
            + " with invalid_config. Unset or empty: any model the Riva server has.")
    private List<String> allowedModels;

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public Boolean getTls() {
        return tls;
    }

    public void setTls(Boolean tls) {
        this.tls = tls;
    }

    public String getFunctionId() {
        return functionId;
    }

    public void setFunctionId(String functionId) {
        this.functionId = functionId;
    }

    public SecretKeyRef getApiKeySecretRef() {
        return apiKeySecretRef;
    }

    public void setApiKeySecretRef(SecretKeyRef apiKeySecretRef) {
        this.apiKeySecretRef = apiKeySecretRef;
    }

    public List<String> getAllowedModels() {
        return allowedModels;
    }

    public void setAllowedModels(List<String> allowedModels) {
        this.allowedModels = allowedModels;
    }
}

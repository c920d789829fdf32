package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Who may open sessions and call the API: the gateway's {@code auth.*} settings, with the files
 * they name coming from Secrets and a ConfigMap that the pods mount. The two CEL rules reject, at
 * {@code kubectl apply}, a mode the pods could not start with (the gateway refuses
 * {@code api-key} without a keys file, {@code jwt} without issuer, audience and key set), instead
 * of a Deployment whose pods crash-loop.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = AuthSpec.API_KEY_RULE,
        message = "auth.mode api-key needs auth.apiKeysSecretRef (the Secret with the API keys file)")
@ValidationRule(
        value = AuthSpec.JWT_RULE,
        message = "auth.mode jwt needs auth.jwt.issuer, auth.jwt.audience and auth.jwt.jwksConfigMapRef")
public class AuthSpec {

    /** CEL: a mode that takes API keys has the Secret with the keys file. */
    public static final String API_KEY_RULE =
            "!has(self.mode) || !(self.mode in ['api-key', 'api-key,jwt']) || has(self.apiKeysSecretRef)";

    /** CEL: a mode that takes JWTs has what the gateway verifies them with. */
    public static final String JWT_RULE = "!has(self.mode) || !(self.mode in ['jwt', 'api-key,jwt'])"
            + " || (has(self.jwt) && has(self.jwt.issuer) && has(self.jwt.audience) && has(self.jwt.jwksConfigMapRef))";

    @Required
    @Pattern("^(none|api-key|jwt|api-key,jwt)$")
    @JsonPropertyDescription("auth.mode of the pods: none (anyone who reaches the port), api-key, jwt, or api-key,jwt"
            + " (either is accepted).")
    private String mode;

    @JsonPropertyDescription("Secret entry holding the API keys file (key `api-keys` unless set), one"
            + " `<name> sha256:<hex>` line per key as `earshot keys new` writes them. Mounted read-only as a"
            + " directory, so a Secret update reaches the pods and they re-read the file (auth.api-keys-file)."
            + " Required by the api-key modes.")
    private KeyFileRef apiKeysSecretRef;

    @JsonPropertyDescription("Secret entry with at least 32 random bytes that sign the tokens of POST /api/v1/tokens"
            + " (key `signing-key` unless set); mounted read-only (auth.token-signing-key-file). Every replica"
            + " shares it, so a token from one pod works on another. Unset: each pod makes its own key, and a"
            + " token works only on the pod that issued it.")
    private KeyFileRef tokenSigningKeySecretRef;

    @JsonPropertyDescription("JWTs from an identity provider (auth.jwt.*); required by the jwt modes.")
    private JwtSpec jwt;

    @Min(0)
    @JsonPropertyDescription("Sessions one key or JWT subject may hold at once on a pod"
            + " (auth.max-sessions-per-principal); unset or 0: no limit.")
    private Integer maxSessionsPerPrincipal;

    @Min(0)
    @JsonPropertyDescription("Session starts per minute one key or JWT subject may make on a pod"
            + " (auth.sessions-per-minute-per-principal); unset or 0: no limit.")
    private Integer sessionsPerMinutePerPrincipal;

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public KeyFileRef getApiKeysSecretRef() {
        return apiKeysSecretRef;
    }

    public void setApiKeysSecretRef(KeyFileRef apiKeysSecretRef) {
        this.apiKeysSecretRef = apiKeysSecretRef;
    }

    public KeyFileRef getTokenSigningKeySecretRef() {
        return tokenSigningKeySecretRef;
    }

    public void setTokenSigningKeySecretRef(KeyFileRef tokenSigningKeySecretRef) {
        this.tokenSigningKeySecretRef = tokenSigningKeySecretRef;
    }

    public JwtSpec getJwt() {
        return jwt;
    }

    public void setJwt(JwtSpec jwt) {
        this.jwt = jwt;
    }

    public Integer getMaxSessionsPerPrincipal() {
        return maxSessionsPerPrincipal;
    }

    public void setMaxSessionsPerPrincipal(Integer maxSessionsPerPrincipal) {
        this.maxSessionsPerPrincipal = maxSessionsPerPrincipal;
    }

    public Integer getSessionsPerMinutePerPrincipal() {
        return sessionsPerMinutePerPrincipal;
    }

    public void setSessionsPerMinutePerPrincipal(Integer sessionsPerMinutePerPrincipal) {
        this.sessionsPerMinutePerPrincipal = sessionsPerMinutePerPrincipal;
    }
}

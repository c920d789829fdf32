package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/**
 * JWTs from an identity provider: the gateway's {@code auth.jwt.*}. The key set comes from a
 * ConfigMap rather than a URL the gateway fetches, so the pods need no egress to the provider and
 * the keys in use are a Kubernetes object one can read; a ConfigMap update reaches the mounted
 * file, and the gateway re-reads it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JwtSpec {

    @Size(min = 1)
    @JsonPropertyDescription("The exact `iss` of the provider's tokens (auth.jwt.issuer).")
    private String issuer;

    @Size(min = 1)
    @JsonPropertyDescription("A value the token's `aud` must include (auth.jwt.audience).")
    private String audience;

    @JsonPropertyDescription("ConfigMap entry holding the provider's JSON Web Key Set (key `jwks.json` unless set);"
            + " mounted read-only as auth.jwt.jwks-file and re-read by the pods when it changes.")
    private KeyFileRef jwksConfigMapRef;

    public String getIssuer() {
        return issuer;
    }

    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    public String getAudience() {
        return audience;
    }

    public void setAudience(String audience) {
        this.audience = audience;
    }

    public KeyFileRef getJwksConfigMapRef() {
        return jwksConfigMapRef;
    }

    public void setJwksConfigMapRef(KeyFileRef jwksConfigMapRef) {
        this.jwksConfigMapRef = jwksConfigMapRef;
    }
}

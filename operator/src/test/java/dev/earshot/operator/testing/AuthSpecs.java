package dev.earshot.operator.testing;

import dev.earshot.operator.crd.AuthSpec;
import dev.earshot.operator.crd.JwtSpec;
import dev.earshot.operator.crd.KeyFileRef;

/** Test fixtures: {@code spec.auth} as a user would write it. */
public final class AuthSpecs {

    private AuthSpecs() {}

    /** {@code mode: api-key} with the keys file from the {@code api-keys} entry of {@code secret}. */
    public static AuthSpec apiKeys(String secret) {
        AuthSpec auth = new AuthSpec();
        auth.setMode("api-key");
        auth.setApiKeysSecretRef(new KeyFileRef(secret, null));
        return auth;
    }

    /** {@code jwt} settings with the key set from the {@code jwks.json} entry of {@code configMap}. */
    public static JwtSpec jwt(String issuer, String audience, String configMap) {
        JwtSpec jwt = new JwtSpec();
        jwt.setIssuer(issuer);
        jwt.setAudience(audience);
        jwt.setJwksConfigMapRef(new KeyFileRef(configMap, null));
        return jwt;
    }
}

package dev.earshot.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * JWTs from an identity provider ({@code auth.jwt.*}): signed with RS256, ES256 or EdDSA (Ed25519)
 * by a key of the JWKS file (re-read when it changes, so a mounted ConfigMap can rotate keys),
 * with {@code iss} equal to the configured issuer, the configured audience among {@code aud}, a
 * subject, and {@code exp} (and {@code nbf}, if present) good within 60 seconds of clock skew.
 * HS256 and {@code none} are never accepted here: a provider's JWTs are verified with public keys only.
 *
 * <p>EdDSA is verified with the JDK's own Ed25519 ({@code Signature "Ed25519"}), because
 * nimbus-jose-jwt's Ed25519 verifier needs Google Tink; RSA and EC use nimbus' verifiers.
 */
public final class JwtVerifier {
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Set<JWSAlgorithm> ALGORITHMS =
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);
    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519, before the 32 key bytes. */
    private static final byte[] ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final WatchedFile<JWKSet> keys;
    private final String issuer;
    private final String audience;
    private final InstantSource clock;

    public JwtVerifier(Path jwksFile, String issuer, String audience, InstantSource clock) {
        this.keys = new WatchedFile<>(jwksFile, WatchedFile.text(JwtVerifier::parse), "auth.jwt.jwks-file");
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    private static JWKSet parse(String text) {
        try {
            return JWKSet.parse(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JSON Web Key Set: " + e.getMessage(), e);
        }
    }

    /**
     * The principal of a valid JWT.
     *
     * @throws AuthException saying what is wrong with it
     */
    Principal verify(SignedJWT jwt) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            throw new AuthException("JWT algorithm " + alg + " is not accepted (RS256, ES256, EdDSA)");
        }
        String kid = jwt.getHeader().getKeyID();
        List<JWK> candidates = keys.get().getKeys().stream()
                .filter(k -> kid == null || kid.equals(k.getKeyID()))
                .toList();
        boolean verified = false;
        for (JWK key : candidates) {
            if (signedBy(jwt, alg, key)) {
                verified = true;
                break;
            }
        }
        if (!verified) {
            throw new AuthException("JWT signature does not verify with any key of the JWKS");
        }
        return new Principal(Principal.Kind.JWT, checkClaims(jwt));
    }

    private String checkClaims(SignedJWT jwt) {
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AuthException("JWT claims are not JSON");
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new AuthException("JWT issuer is not " + issuer);
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw new AuthException("JWT audience does not include " + audience);
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null || !now.isBefore(exp.toInstant().plus(CLOCK_SKEW))) {
            throw new AuthException("JWT expired or has no exp");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(CLOCK_SKEW).isBefore(nbf.toInstant())) {
            throw new AuthException("JWT not valid yet");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new AuthException("JWT has no subject");
        }
        return subject;
    }

    private static boolean signedBy(SignedJWT jwt, JWSAlgorithm alg, JWK key) {
        try {
            if (alg.equals(JWSAlgorithm.RS256) && key instanceof RSAKey rsa) {
                return jwt.verify(new RSASSAVerifier(rsa.toRSAPublicKey()));
            }
            if (alg.equals(JWSAlgorithm.ES256) && key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
                return jwt.verify(new ECDSAVerifier(ec.toECPublicKey()));
            }
            if (alg.equals(JWSAlgorithm.EdDSA)
                    && key instanceof OctetKeyPair okp
                    && Curve.Ed25519.equals(okp.getCurve())) {
                Signature ed25519 = Signature.getInstance("Ed25519");
                ed25519.initVerify(ed25519PublicKey(okp.getX().decode()));
                ed25519.update(jwt.getSigningInput());
                return ed25519.verify(jwt.getSignature().decode());
            }
            return false;
        } catch (JOSEException | GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static PublicKey ed25519PublicKey(byte[] x) throws GeneralSecurityException {
        if (x.length != 32) {
            throw new GeneralSecurityException("an Ed25519 key is 32 bytes");
        }
        byte[] der = new byte[ED25519_PREFIX.length + 32];
        System.arraycopy(ED25519_PREFIX, 0, der, 0, ED25519_PREFIX.length);
        System.arraycopy(x, 0, der, ED25519_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }
}

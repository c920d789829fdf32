package dev.earshot.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/**
 * The gateway's own short-lived tokens ({@code POST /api/v1/tokens}): JWTs signed with HMAC-SHA256
 * by nimbus-jose-jwt, type {@code earshot+jwt}, issuer {@code earshot}, subject the principal's
 * {@link Principal#id()}. A browser gets one from its own backend (which holds the API key) and
 * opens sessions with it until it expires; the key never reaches the page.
 *
 * <p>The key comes from {@code auth.token-signing-key-file} (at least 32 bytes; every replica
 * behind one Service needs the same) or is made at random at start, and then tokens die with the
 * process.
 */
public final class TokenSigner {
    static final String ISSUER = "earshot";
    static final JOSEObjectType TYPE = new JOSEObjectType("earshot+jwt");
    private static final int MIN_KEY_BYTES = 32;

    private final byte[] key;
    private final boolean random;
    private final InstantSource clock;

    private TokenSigner(byte[] key, boolean random, InstantSource clock) {
        this.key = key;
        this.random = random;
        this.clock = clock;
    }

    /**
     * The signer for {@code auth.token-signing-key-file}, or a random key when it is unset.
     *
     * @throws IllegalArgumentException when the file cannot be read or is shorter than 32 bytes
     */
    public static TokenSigner create(Optional<Path> keyFile, InstantSource clock) {
        if (keyFile.isEmpty()) {
            byte[] key = new byte[MIN_KEY_BYTES];
            new SecureRandom().nextBytes(key);
            return new TokenSigner(key, true, clock);
        }
        byte[] key;
        try {
            key = Files.readAllBytes(keyFile.get());
        } catch (IOException e) {
            throw new IllegalArgumentException("auth.token-signing-key-file cannot be read: " + keyFile.get(), e);
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("auth.token-signing-key-file must hold at least " + MIN_KEY_BYTES
                    + " bytes (e.g. head -c 32 /dev/urandom > key): " + keyFile.get());
        }
        return new TokenSigner(key, false, clock);
    }

    /** Whether the key was made at start (tokens die with the process). */
    public boolean randomKey() {
        return random;
    }

    /** A token for {@code principal} that expires after {@code ttl} (whole seconds). */
    public IssuedToken issue(Principal principal, Duration ttl) {
        Instant now = clock.instant();
        Instant expires = now.plusSeconds(Math.max(1, ttl.toSeconds()));
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(principal.id())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).type(TYPE).build(), claims);
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("HMAC-SHA256 with a 256-bit key cannot fail", e);
        }
        return new IssuedToken(jwt.serialize(), expires);
    }

    /**
     * The principal of a valid, unexpired token of this signer.
     *
     * @throws AuthException when the signature, issuer, type or expiry is wrong
     */
    Principal verify(SignedJWT jwt) {
        try {
            if (!jwt.verify(new MACVerifier(key))) {
                throw new AuthException("bad token signature");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!ISSUER.equals(claims.getIssuer())
                    || claims.getSubject() == null
                    || claims.getExpirationTime() == null) {
                throw new AuthException("not an Earshot token");
            }
            if (!clock.instant().isBefore(claims.getExpirationTime().toInstant())) {
                throw new AuthException("token expired");
            }
            Principal principal = Principal.fromId(claims.getSubject());
            if (principal.kind() != Principal.Kind.API_KEY) {
                throw new AuthException("not an Earshot token");
            }
            return principal;
        } catch (JOSEException | ParseException e) {
            throw new AuthException("bad token");
        }
    }

    /**
     * A token and when it expires.
     *
     * @param token     the compact JWS, given to the client once and never logged
     * @param expiresAt its {@code exp}
     */
    public record IssuedToken(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedToken[expiresAt=" + expiresAt + "]";
        }
    }
}

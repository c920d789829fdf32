package dev.earshot.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
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
 * process. The file is read again when it changes (a replaced Secret), so the key rotates without
 * a restart: new tokens are signed with the new key at once, and the tokens signed with the one it
 * replaced are still accepted for {@code auth.token-ttl}, the longest any of them can live, and
 * {@link #SPREAD} more, for those that replicas which had not yet seen the new file signed. A
 * replacement that is not a usable key (too short, unreadable) is logged and the key in use kept.
 */
public final class TokenSigner {
    private static final System.Logger LOG = System.getLogger(TokenSigner.class.getName());
    static final String ISSUER = "earshot";
    static final JOSEObjectType TYPE = new JOSEObjectType("earshot+jwt");
    private static final int MIN_KEY_BYTES = 32;
    /**
     * How long a replaced Secret may take to reach every pod's file: the kubelet's sync period
     * (one minute by default) and its cache of the Secret (up to another).
     */
    static final Duration SPREAD = Duration.ofMinutes(2);

    /** The key that signs, and the one it replaced with the moment its last token expires; no previous: null. */
    private record Keys(byte[] current, byte[] previous, Instant previousUntil) {}

    private final WatchedFile<byte[]> file; // null for a random key
    private final Duration grace;
    private final InstantSource clock;
    private volatile Keys keys;

    private TokenSigner(WatchedFile<byte[]> file, byte[] key, Duration grace, InstantSource clock) {
        this.file = file;
        this.grace = grace.plus(SPREAD);
        this.clock = clock;
        this.keys = new Keys(key, null, Instant.MIN);
    }

    /**
     * The signer for {@code auth.token-signing-key-file}, or a random key when it is unset.
     *
     * @param tokenTtl {@code auth.token-ttl}: how long a replaced key's tokens are still accepted
     * @throws IllegalArgumentException when the file cannot be read or is shorter than 32 bytes
     */
    public static TokenSigner create(Optional<Path> keyFile, Duration tokenTtl, InstantSource clock) {
        if (keyFile.isEmpty()) {
            byte[] key = new byte[MIN_KEY_BYTES];
            new SecureRandom().nextBytes(key);
            return new TokenSigner(null, key, tokenTtl, clock);
        }
        WatchedFile<byte[]> file = new WatchedFile<>(keyFile.get(), TokenSigner::key, "auth.token-signing-key-file");
        return new TokenSigner(file, file.get(), tokenTtl, clock);
    }

    private static byte[] key(byte[] bytes) {
        if (bytes.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("must hold at least " + MIN_KEY_BYTES
                    + " bytes (e.g. head -c 32 /dev/urandom > key), has " + bytes.length);
        }
        return bytes;
    }

    /** The keys in use, after a look at the file: one {@code stat} when it has not changed. */
    private Keys keys() {
        Keys k = keys;
        if (file == null) {
            return k;
        }
        byte[] read = file.get();
        if (read == k.current()) {
            return k;
        }
        synchronized (this) {
            k = keys;
            if (read != k.current()) {
                if (Arrays.equals(read, k.current())) {
                    k = new Keys(read, k.previous(), k.previousUntil()); // rewritten, not changed
                } else {
                    Instant until = clock.instant().plus(grace);
                    k = new Keys(read, k.current(), until);
                    LOG.log(
                            System.Logger.Level.INFO,
                            "token signing key replaced; tokens signed with the previous key are accepted until "
                                    + until);
                }
                keys = k;
            }
            return k;
        }
    }

    /** Whether the key was made at start (tokens die with the process). */
    public boolean randomKey() {
        return file == null;
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
            jwt.sign(new MACSigner(keys().current()));
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
            Keys k = keys();
            if (!jwt.verify(new MACVerifier(k.current()))
                    && !(k.previous() != null
                            && clock.instant().isBefore(k.previousUntil())
                            && jwt.verify(new MACVerifier(k.previous())))) {
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

package dev.earshot.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import java.lang.System.Logger.Level;
import java.text.ParseException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The request authenticator: the one place that decides who a request speaks for, the same for
 * the WebSocket upgrade and every REST route. A credential shaped like a JWT (three dot-separated
 * parts) is either one of the gateway's own tokens (HS256, type {@code earshot+jwt}) or a JWT of
 * the identity provider; anything else is an API key, refused in a query string because URLs are
 * logged by proxies and browsers. Refusals are logged at DEBUG with the reason and where the
 * credential was, never the credential.
 */
public final class Authenticator {
    private static final System.Logger LOG = System.getLogger(Authenticator.class.getName());

    private final AuthConfig config;
    private final ApiKeys keys;
    private final TokenSigner tokens;
    private final JwtVerifier jwts;
    private final Quotas quotas;

    private Authenticator(AuthConfig config, ApiKeys keys, TokenSigner tokens, JwtVerifier jwts, Quotas quotas) {
        this.config = config;
        this.keys = keys;
        this.tokens = tokens;
        this.jwts = jwts;
        this.quotas = quotas;
    }

    /**
     * Reads the key file, the signing key and the JWKS that {@code config} names.
     *
     * @throws IllegalArgumentException naming the setting that cannot be used
     */
    public static Authenticator create(AuthConfig config, InstantSource clock) {
        boolean apiKeys = config.modes().contains(AuthConfig.Mode.API_KEY);
        ApiKeys keys = apiKeys ? new ApiKeys(config.apiKeysFile().orElseThrow()) : null;
        TokenSigner tokens =
                apiKeys ? TokenSigner.create(config.tokenSigningKeyFile(), config.tokenTtl(), clock) : null;
        JwtVerifier jwts = config.modes().contains(AuthConfig.Mode.JWT)
                ? new JwtVerifier(
                        config.jwt().jwksFile().orElseThrow(),
                        config.jwt().issuer(),
                        config.jwt().audience(),
                        clock)
                : null;
        if (tokens != null && tokens.randomKey()) {
            LOG.log(
                    Level.INFO,
                    "tokens are signed with a key made at start: they die with this process and other replicas"
                            + " do not accept them (set auth.token-signing-key-file to share one)");
        }
        Quotas quotas = new Quotas(config.maxSessionsPerPrincipal(), config.sessionsPerMinute(), clock);
        return new Authenticator(config, keys, tokens, jwts, quotas);
    }

    /** Whether requests need credentials ({@code auth.mode} is not {@code none}). */
    public boolean required() {
        return config.required();
    }

    /** Whether {@code POST /api/v1/tokens} can mint tokens (API keys are on). */
    public boolean issuesTokens() {
        return tokens != null;
    }

    /**
     * Who the request speaks for.
     *
     * @throws AuthException when credentials are required and missing or wrong (answer 401)
     */
    public Authentication authenticate(Optional<Credentials> credentials) {
        if (!required()) {
            return Authentication.ANONYMOUS;
        }
        try {
            Credentials c = credentials.orElseThrow(() -> new AuthException("credentials required"));
            if (c.value().isEmpty()) {
                throw new AuthException("credentials required (Authorization: Bearer <key or token>)");
            }
            return check(c);
        } catch (AuthException e) {
            LOG.log(
                    Level.DEBUG,
                    "auth refused: " + e.getMessage()
                            + credentials.map(c -> " (" + c.source() + ")").orElse(""));
            throw e;
        }
    }

    private Authentication check(Credentials c) {
        SignedJWT jwt = jwtShaped(c.value());
        if (jwt != null) {
            boolean ours = JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
                    && TokenSigner.TYPE.equals(jwt.getHeader().getType());
            if (ours && tokens != null) {
                return new Authentication(tokens.verify(jwt), Authentication.Method.TOKEN);
            }
            if (!ours && jwts != null) {
                return new Authentication(jwts.verify(jwt), Authentication.Method.JWT);
            }
            throw new AuthException(ours ? "tokens are not accepted (auth.mode)" : "JWTs are not accepted (auth.mode)");
        }
        if (c.source() == Credentials.Source.QUERY) {
            throw new AuthException("API keys are not accepted in the query string: send Authorization: Bearer");
        }
        if (keys == null) {
            throw new AuthException("API keys are not accepted (auth.mode)");
        }
        String name = keys.lookUp(c.value()).orElseThrow(() -> new AuthException("unknown API key"));
        return new Authentication(new Principal(Principal.Kind.API_KEY, name), Authentication.Method.API_KEY);
    }

    private static SignedJWT jwtShaped(String value) {
        if (value.chars().filter(ch -> ch == '.').count() != 2) {
            return null;
        }
        try {
            return SignedJWT.parse(value);
        } catch (ParseException e) {
            throw new AuthException("malformed token");
        }
    }

    /**
     * Takes a session slot and start for the principal.
     *
     * @throws QuotaExceededException when it is over a quota (answer 429 with Retry-After)
     */
    public Quotas.Lease admit(Principal principal) {
        return quotas.acquire(principal);
    }

    /** The longest and default token lifetime ({@code auth.token-ttl}). */
    public Duration tokenTtl() {
        return config.tokenTtl();
    }

    /**
     * Mints a token for a request that authenticated with an API key.
     *
     * @param ttl wanted lifetime; empty: {@code auth.token-ttl}
     * @throws IllegalArgumentException when {@code ttl} is not within 1 s and {@code auth.token-ttl}
     * @throws IllegalStateException when the request did not authenticate with an API key itself
     */
    public TokenSigner.IssuedToken issueToken(Authentication caller, Optional<Duration> ttl) {
        if (tokens == null || caller.method() != Authentication.Method.API_KEY) {
            throw new IllegalStateException("tokens are issued for API keys only");
        }
        Duration lifetime = ttl.orElse(config.tokenTtl());
        if (lifetime.toSeconds() < 1 || lifetime.compareTo(config.tokenTtl()) > 0) {
            throw new IllegalArgumentException(
                    "ttl_seconds must be within 1.." + config.tokenTtl().toSeconds() + " (auth.token-ttl)");
        }
        TokenSigner.IssuedToken token = tokens.issue(caller.principal(), lifetime);
        LOG.log(Level.INFO, "token issued for " + caller.principal().id() + ", expires " + token.expiresAt());
        return token;
    }
}

package dev.earshot.auth;

/**
 * A request that authenticated: who it speaks for and with what.
 *
 * @param principal whose quotas and sessions these are
 * @param method    how: an API key itself, a token minted with one, a JWT, or nothing ({@code auth.mode=none})
 */
public record Authentication(Principal principal, Method method) {
    /** What a request authenticated with. */
    public enum Method {
        NONE,
        API_KEY,
        TOKEN,
        JWT
    }

    /** Everyone, when no credentials are required. */
    public static final Authentication ANONYMOUS = new Authentication(Principal.ANONYMOUS, Method.NONE);
}

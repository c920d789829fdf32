package dev.earshot.auth;

/**
 * Who a request speaks for: an API key's name, the subject of a JWT, or nobody in particular when
 * {@code auth.mode} is {@code none}. A token minted with an API key speaks for that key, so the
 * key's quotas and its sessions are the token's too.
 *
 * @param kind what vouched for the principal
 * @param name the key's name or the JWT's {@code sub}
 */
public record Principal(Kind kind, String name) {

    /** What a principal was established by. */
    public enum Kind {
        /** {@code auth.mode=none}: everyone is the same principal. */
        ANONYMOUS,
        /** an API key from {@code auth.api-keys-file}, or a token minted with one */
        API_KEY,
        /** a JWT from the identity provider ({@code auth.jwt.*}) */
        JWT
    }

    /** The principal of a gateway that requires no credentials. */
    public static final Principal ANONYMOUS = new Principal(Kind.ANONYMOUS, "");

    /**
     * The key quotas and session ownership are kept under: a key named {@code alice} and a JWT
     * subject {@code alice} are different principals.
     */
    public String id() {
        return switch (kind) {
            case ANONYMOUS -> "anonymous";
            case API_KEY -> "key:" + name;
            case JWT -> "jwt:" + name;
        };
    }

    /** The principal a quota or ownership key ({@link #id()}) stands for. */
    public static Principal fromId(String id) {
        if (id.startsWith("key:")) {
            return new Principal(Kind.API_KEY, id.substring(4));
        }
        if (id.startsWith("jwt:")) {
            return new Principal(Kind.JWT, id.substring(4));
        }
        return ANONYMOUS;
    }

    /** Whether sessions owned by {@code ownerId} are this principal's to see. */
    public boolean owns(String ownerId) {
        return kind == Kind.ANONYMOUS || id().equals(ownerId);
    }
}

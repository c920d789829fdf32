package dev.earshot.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
    private static final Optional<String> GATEWAY = Optional.of("gw.example:8080");

    private static boolean allows(OriginPolicy policy, String origin) {
        return policy.allows(Optional.of(origin), GATEWAY);
    }

    @Test
    void aListedOriginMatchesOnlyWithTheSameSchemeHostAndPort() {
        OriginPolicy policy = OriginPolicy.of(List.of("http://a.example", "https://b.example:8443/"));
        assertTrue(allows(policy, "http://a.example"));
        assertTrue(allows(policy, "http://a.example:80"), "80 is http's default port");
        assertTrue(allows(policy, "HTTP://A.EXAMPLE"), "scheme and host are case-insensitive");
        assertFalse(allows(policy, "https://a.example"), "another scheme");
        assertFalse(allows(policy, "http://a.example:8080"), "another port");
        assertFalse(allows(policy, "http://a.example.evil.test"), "another host");
        assertTrue(allows(policy, "https://b.example:8443"));
        assertFalse(allows(policy, "https://b.example"), "443 is not 8443");
    }

    @Test
    void sameOriginNeedsTheHostAndPortOfTheRequest() {
        OriginPolicy policy = OriginPolicy.of(List.of());
        assertTrue(allows(policy, "http://gw.example:8080"));
        assertTrue(allows(policy, "https://gw.example:8080"), "the request's scheme is hidden by TLS proxies");
        assertFalse(allows(policy, "http://gw.example"), "port 80 is not the request's 8080");
        assertTrue(policy.allows(Optional.of("https://gw.example"), Optional.of("gw.example")));
        assertFalse(policy.allows(Optional.of("https://gw.example:444"), Optional.of("gw.example")));
        assertFalse(allows(policy, "http://other.example:8080"));
    }

    @Test
    void localPagesAndRequestsWithoutOriginAreAllowedAndNullOriginsAreNot() {
        OriginPolicy policy = OriginPolicy.of(List.of());
        assertTrue(allows(policy, "http://localhost:5173"));
        assertTrue(allows(policy, "http://127.0.0.1:3000"));
        assertTrue(policy.allows(Optional.empty(), GATEWAY));
        assertFalse(allows(policy, "null"));
        assertFalse(allows(policy, "file://"));
        assertTrue(OriginPolicy.of(List.of("*")).allows(Optional.of("null"), GATEWAY));
    }

    @Test
    void anEntryThatIsNotAnOriginIsRefusedWithItsName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> OriginPolicy.of(List.of("a.example")));
        assertEquals(
                "server.allowed-origins: a.example is not an origin such as https://app.example.com", e.getMessage());
    }
}

package dev.earshot.auth;

import static dev.earshot.auth.AuthTestSupport.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.MovableClock;
import dev.earshot.testing.RawHttp;
import dev.earshot.testing.TestGateways;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth.mode=jwt} on real sockets: JWTs signed with RS256, ES256 and EdDSA by keys of the
 * JWKS file open sessions; a wrong issuer, audience, key, algorithm or expiry (past the 60 s skew)
 * is 401.
 */
class JwtOnTheWireTest {
    static final String ISSUER = "https://idp.example.com/";
    static final String AUDIENCE = "earshot";

    @TempDir
    static Path dir;

    static KeyPair rsa;
    static KeyPair ec;
    static KeyPair ed;
    static GatewayServer gateway;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
        rsaGen.initialize(2048);
        rsa = rsaGen.generateKeyPair();
        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGen.generateKeyPair();
        ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] edX509 = ed.getPublic().getEncoded();
        JWKSet jwks = new JWKSet(List.of(
                new RSAKey.Builder((RSAPublicKey) rsa.getPublic())
                        .keyID("rsa-1")
                        .build(),
                new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.getPublic())
                        .keyID("ec-1")
                        .build(),
                new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(edX509, 12, 44)))
                        .keyID("ed-1")
                        .build()));
        Path jwksFile = dir.resolve("jwks.json");
        Files.writeString(jwksFile, jwks.toString());
        AuthConfig config = new AuthConfig(
                Set.of(AuthConfig.Mode.JWT),
                Optional.empty(),
                Duration.ofMinutes(5),
                Optional.empty(),
                new AuthConfig.JwtConfig(Optional.of(jwksFile), ISSUER, AUDIENCE),
                0,
                0);
        gateway = TestGateways.withAuth(config, new MovableClock());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of(AUDIENCE, "other"))
                .subject("user-42")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static String sign(JWSAlgorithm alg, String kid, JWSSigner signer, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** EdDSA signed by the JDK: nimbus' Ed25519 signer needs Tink, which the gateway does not ship. */
    private static String signEd25519(JWTClaimsSet claims) throws Exception {
        String header = Base64URL.encode("{\"alg\":\"EdDSA\",\"kid\":\"ed-1\"}").toString();
        String payload = Base64URL.encode(claims.toString()).toString();
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(ed.getPrivate());
        signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + Base64URL.encode(signature.sign());
    }

    private static String rs256(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        return sign(
                JWSAlgorithm.RS256,
                "rsa-1",
                new RSASSASigner(rsa.getPrivate()),
                change.apply(claims()).build());
    }

    private static int upgrade(String jwt) throws Exception {
        return RawHttp.upgrade(gateway.port(), "/api/v1/transcribe", "Authorization: Bearer " + jwt)
                .status();
    }

    @Test
    void rs256Es256AndEdDsaJwtsOpenSessionsInEveryForm() throws Exception {
        String rs = rs256(b -> b);
        String es = sign(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ec.getPrivate(), Curve.P_256), claims().build());
        String eddsa = signEd25519(claims().build());
        assertEquals(101, upgrade(rs));
        assertEquals(101, upgrade(es));
        assertEquals(101, upgrade(eddsa));
        assertEquals(
                101,
                RawHttp.upgrade(gateway.port(), "/api/v1/transcribe?access_token=" + es)
                        .status(),
                "a JWT may travel in the query string");
        assertEquals(
                101,
                RawHttp.upgrade(
                                gateway.port(),
                                "/api/v1/transcribe",
                                "Sec-WebSocket-Protocol: earshot.v1, bearer." + eddsa)
                        .status());
        assertEquals(
                200,
                request(gateway.port(), "GET", "/api/v1/sessions", rs, null).statusCode());
        assertEquals(
                404,
                request(gateway.port(), "POST", "/api/v1/tokens", rs, null).statusCode(),
                "no API keys, no tokens");
    }

    @Test
    void wrongIssuerAudienceSubjectOrExpiryIs401() throws Exception {
        assertEquals(401, upgrade(rs256(b -> b.issuer("https://evil.example.com/"))));
        assertEquals(401, upgrade(rs256(b -> b.audience("someone-else"))));
        assertEquals(401, upgrade(rs256(b -> b.subject(null))));
        assertEquals(401, upgrade(rs256(b -> b.expirationTime(null))));
        assertEquals(
                401, upgrade(rs256(b -> b.expirationTime(Date.from(Instant.now().minusSeconds(90))))));
        assertEquals(
                401, upgrade(rs256(b -> b.notBeforeTime(Date.from(Instant.now().plusSeconds(120))))));
    }

    @Test
    void sixtySecondsOfClockSkewAreForgiven() throws Exception {
        assertEquals(
                101, upgrade(rs256(b -> b.expirationTime(Date.from(Instant.now().minusSeconds(30))))));
        assertEquals(
                101, upgrade(rs256(b -> b.notBeforeTime(Date.from(Instant.now().plusSeconds(30))))));
    }

    @Test
    void anUnknownKeyOrAnHmacJwtIs401() throws Exception {
        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
        rsaGen.initialize(2048);
        KeyPair stranger = rsaGen.generateKeyPair();
        assertEquals(
                401,
                upgrade(sign(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(stranger.getPrivate()), claims().build())));
        byte[] secret = new byte[32];
        assertEquals(401, upgrade(sign(JWSAlgorithm.HS256, "rsa-1", new MACSigner(secret), claims().build())));
        assertEquals(401, upgrade("not.a.jwt"));
        assertEquals(401, upgrade("an-api-key-in-jwt-mode"));
    }
}

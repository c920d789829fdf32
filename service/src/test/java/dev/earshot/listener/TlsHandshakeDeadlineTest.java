package dev.earshot.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.LogCapture;
import dev.earshot.testing.WsTestClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public listener with {@code server.tls} (a certificate for 127.0.0.1 from the test CA in
 * {@code src/test/resources/tls}) and a one-second {@code server.header-timeout}, which is also
 * the TLS handshake's deadline: a client that stalls its handshake is closed, and one that
 * completes it is served and keeps a quiet WebSocket session.
 */
class TlsHandshakeDeadlineTest {
    static GatewayServer gateway;

    static String resource(String name) throws Exception {
        return Path.of(TlsHandshakeDeadlineTest.class
                        .getResource("/tls/" + name)
                        .toURI())
                .toString();
    }

    @BeforeAll
    static void start() throws Exception {
        gateway = ListenerConfigs.gateway(Map.of(
                "server.header-timeout", "PT1S",
                "server.tls.private-key.pem.key.resource.path", resource("server.key"),
                "server.tls.private-key.pem.cert-chain.resource.path", resource("server.pem")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** A client that trusts the test CA. */
    static HttpClient trustingClient() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream ca = TlsHandshakeDeadlineTest.class.getResourceAsStream("/tls/ca.pem")) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        managers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, managers.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void aClientThatConnectsAndNeverStartsItsHandshakeIsClosed() throws Exception {
        // no read timeout on the server's side would leave this socket open: the read below
        // would then fail after its own 60 s instead of seeing the close
        try (RawConnection silent = new RawConnection(gateway.port())) {
            assertEquals("", silent.untilClosed(), "closed without a byte of TLS");
        }
    }

    @Test
    void aClientThatStopsHalfwayThroughItsClientHelloIsClosed() throws Exception {
        try (RawConnection stalled = new RawConnection(gateway.port())) {
            // a TLS handshake record header announcing 512 bytes, then ten of them
            stalled.socket
                    .getOutputStream()
                    .write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc});
            stalled.socket.getOutputStream().write(new byte[6]);
            stalled.socket.getOutputStream().flush();
            assertEquals("", stalled.untilClosed(), "closed without an answer to half a ClientHello");
        }
    }

    @Test
    void aClientThatCompletesItsHandshakeIsServedAndItsQuietSessionLivesOn() throws Exception {
        HttpClient https = trustingClient();
        HttpResponse<String> page = https.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.port() + "/"))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<html"), "the demo page over TLS");

        URI wss = URI.create("wss://127.0.0.1:" + gateway.port() + "/api/v1/transcribe/quiet-over-tls");
        try (WsTestClient ws = WsTestClient.connect(https, wss)) {
            // the handshake's deadline ended with the handshake
            HeaderTimeoutTest.assertQuietSessionLivesOn(ws);
        }
    }

    @Test
    void helidonsNioSocketWithTlsIsServedAndWarnedAboutSinceItsHandshakeIsNotTimed() throws Exception {
        try (LogCapture log = new LogCapture();
                GatewayServer nio = ListenerConfigs.gateway(Map.of(
                        "server.header-timeout",
                        "PT1S",
                        "server.use-nio",
                        "true",
                        "server.tls.private-key.pem.key.resource.path",
                        resource("server.key"),
                        "server.tls.private-key.pem.cert-chain.resource.path",
                        resource("server.pem")))) {
            assertTrue(
                    log.lines().stream()
                            .anyMatch(l -> l.contains("WARNING") && l.contains("use-nio is true with server.tls")),
                    log.lines().toString());
            HttpResponse<String> page = trustingClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + nio.port() + "/"))
                                    .timeout(Duration.ofSeconds(20))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
        }
    }
}

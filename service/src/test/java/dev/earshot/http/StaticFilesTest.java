package dev.earshot.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo page's files over HTTP: types, caching, revalidation, and nothing else served. */
class StaticFilesTest {
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.synthetic(SessionSettings.defaults());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static HttpResponse<String> request(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return WsTestClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return request("GET", path, Map.of());
    }

    static String header(HttpResponse<?> res, String name) {
        return res.headers().firstValue(name).orElse("");
    }

    /** Sends a request line exactly as written (no client normalizes it) and returns the status. */
    static int rawStatus(String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    @Test
    void thePageIsServedAtTheRootAsHtmlThatBrowsersRevalidate() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", header(page, "Content-Type"));
        assertEquals("no-cache", header(page, "Cache-Control"));
        assertEquals("nosniff", header(page, "X-Content-Type-Options"));
        assertTrue(header(page, "ETag").matches("\"[0-9a-f]{24}\""), header(page, "ETag"));
        assertTrue(header(page, "Content-Security-Policy").contains("script-src 'self'"));
        assertTrue(page.body().contains("<script type=\"module\" src=\"app.js\"></script>"), page.body());
        assertEquals(page.body(), get("/index.html").body());
    }

    @Test
    void scriptsStylesAndTheIconHaveTheirTypesAndAShortCacheLifetime() throws Exception {
        Map<String, String> types = Map.of(
                "/app.js", "text/javascript; charset=utf-8",
                "/protocol.js", "text/javascript; charset=utf-8",
                "/sent-audio.js", "text/javascript; charset=utf-8",
                "/credentials.js", "text/javascript; charset=utf-8",
                "/audio.js", "text/javascript; charset=utf-8",
                "/pcm-worklet.js", "text/javascript; charset=utf-8",
                "/resampler.js", "text/javascript; charset=utf-8",
                "/style.css", "text/css; charset=utf-8",
                "/favicon.svg", "image/svg+xml; charset=utf-8");
        assertEquals(StaticFiles.DEMO_PAGE.size() - 1, types.size(), "every file but the page is checked");
        for (var e : types.entrySet()) {
            HttpResponse<String> res = get(e.getKey());
            assertEquals(200, res.statusCode(), e.getKey());
            assertEquals(e.getValue(), header(res, "Content-Type"), e.getKey());
            assertEquals("public, max-age=" + StaticFiles.ASSET_MAX_AGE, header(res, "Cache-Control"), e.getKey());
            assertFalse(res.body().isEmpty(), e.getKey());
        }
    }

    @Test
    void aKnownETagGets304WithoutABody() throws Exception {
        String etag = header(get("/app.js"), "ETag");
        HttpResponse<String> again = request("GET", "/app.js", Map.of("If-None-Match", "\"other\", W/" + etag));
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertEquals(
                200,
                request("GET", "/app.js", Map.of("If-None-Match", "\"other\"")).statusCode());
    }

    @Test
    void headAnswersWithTheLengthButNoBody() throws Exception {
        HttpResponse<String> head = request("HEAD", "/style.css", Map.of());
        assertEquals(200, head.statusCode());
        assertEquals("text/css; charset=utf-8", header(head, "Content-Type"));
        assertEquals(
                String.valueOf(get("/style.css").body().getBytes(StandardCharsets.UTF_8).length),
                header(head, "Content-Length"));
        assertEquals("", head.body());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/application.yaml",
                "/logging.properties",
                "/web/app.js",
                "/web/index.html",
                "/../application.yaml",
                "/%2e%2e/application.yaml",
                "/..%2fapplication.yaml",
                "/app.js/",
                "/dev/earshot/Main.class",
                "/index.htm",
                "/APP.JS"
            })
    void nothingButThePageFilesIsServed(String target) throws Exception {
        assertEquals(404, rawStatus(target), target);
    }

    @Test
    void otherMethodsOnThePageAreNotAllowed() throws Exception {
        assertTrue(request("POST", "/app.js", Map.of()).statusCode() >= 400);
        assertTrue(request("DELETE", "/", Map.of()).statusCode() >= 400);
    }

    @Test
    void theOriginRulesApplyToThePageToo() throws Exception {
        assertEquals(
                200,
                request("GET", "/app.js", Map.of("Origin", "http://localhost:5173"))
                        .statusCode());
        assertEquals(
                200,
                request("GET", "/app.js", Map.of("Origin", "http://127.0.0.1:" + gateway.port()))
                        .statusCode());
        assertEquals(
                403,
                request("GET", "/app.js", Map.of("Origin", "https://evil.example.com"))
                        .statusCode());
    }

    @Test
    void ifNoneMatchListsAreComparedWeakly() {
        assertTrue(StaticFiles.matches(Optional.of("\"a\""), "\"a\""));
        assertTrue(StaticFiles.matches(Optional.of("\"b\", W/\"a\""), "\"a\""));
        assertTrue(StaticFiles.matches(Optional.of("*"), "\"a\""));
        assertFalse(StaticFiles.matches(Optional.of("\"b\""), "\"a\""));
        assertFalse(StaticFiles.matches(Optional.empty(), "\"a\""));
    }
}

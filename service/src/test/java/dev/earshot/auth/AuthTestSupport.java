package dev.earshot.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.WsTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** What the auth tests share: configurations, keys files, REST calls with credentials. */
final class AuthTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private AuthTestSupport() {}

    /** {@code auth.mode=api-key} with {@code keys} and the quotas given. */
    static AuthConfig apiKeys(Path keysFile, Duration ttl, int maxSessions, int perMinute) {
        return TestConfigs.apiKeys(keysFile, ttl, maxSessions, perMinute);
    }

    /** Writes a keys file with one line per name and key. */
    static Path keysFile(Path dir, String... nameKeyPairs) throws IOException {
        return TestConfigs.keysFile(dir, nameKeyPairs);
    }

    static HttpResponse<String> request(int port, String method, String path, String bearer, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            return WsTestClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code POST /api/v1/tokens} with an API key; the answer's JSON. */
    static JsonNode token(int port, String apiKey, String body) throws IOException {
        HttpResponse<String> response = request(port, "POST", "/api/v1/tokens", apiKey, body);
        if (response.statusCode() != 200) {
            throw new AssertionError("POST /api/v1/tokens: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** A session opened with {@code Authorization: Bearer}; it has started when this returns. */
    static WsTestClient sessionWithHeader(int port, String id, String credential) throws InterruptedException {
        WsTestClient client = WsTestClient.connect(
                URI.create("ws://127.0.0.1:" + port + "/api/v1/transcribe/" + id),
                b -> b.header("Authorization", "Bearer " + credential));
        JsonNode started = client.start(null).next();
        if (!started.path("event").asText().equals("transcription_started")) {
            throw new AssertionError(started.toString());
        }
        return client;
    }
}

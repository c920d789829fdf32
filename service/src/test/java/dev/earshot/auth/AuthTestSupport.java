package dev.earshot.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.testing.WsTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** What the auth tests share: configurations, keys files, REST calls with credentials. */
final class AuthTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private AuthTestSupport() {}

    /** {@code auth.mode=api-key} with {@code keys} and the quotas given. */
    static AuthConfig apiKeys(Path keysFile, Duration ttl, int maxSessions, int perMinute) {
        return new AuthConfig(
                Set.of(AuthConfig.Mode.API_KEY),
                Optional.of(keysFile),
                ttl,
                Optional.empty(),
                new AuthConfig.JwtConfig(Optional.empty(), "", ""),
                maxSessions,
                perMinute);
    }

    /** Writes a keys file with one line per name and key. */
    static Path keysFile(Path dir, String... nameKeyPairs) throws IOException {
        Path file = dir.resolve("api-keys");
        StringBuilder text = new StringBuilder("# test keys\n");
        for (int i = 0; i < nameKeyPairs.length; i += 2) {
            text.append(nameKeyPairs[i])
                    .append(' ')
                    .append(ApiKeys.hashOf(nameKeyPairs[i + 1]))
                    .append('\n');
        }
        Files.writeString(file, text);
        return file;
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

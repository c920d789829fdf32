package dev.earshot.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.testing.WsTestClient;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A raw WebSocket client of {@code /v1/listen} (the JDK's), for checking Deepgram's wire format
 * directly: it keeps every message and the close code and reason.
 */
final class DeepgramTestClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The close: code and reason. */
    record Close(int code, String reason) {}

    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Close> close = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    final WebSocket ws;

    private DeepgramTestClient(URI uri, List<String> headers, List<String> subprotocols) {
        WebSocket.Builder builder = WsTestClient.HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.size(); i += 2) {
            builder.header(headers.get(i), headers.get(i + 1));
        }
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(
                    subprotocols.getFirst(),
                    subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        ws = builder.buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                messages.add(JSON.readTree(partial.toString()));
                            } catch (Exception e) {
                                messages.add(JSON.createObjectNode().put("type", "unparseable"));
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        close.complete(new Close(statusCode, reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        close.complete(new Close(-1, String.valueOf(error)));
                    }
                })
                .orTimeout(20, TimeUnit.SECONDS)
                .join();
    }

    /** Connects to {@code ws://127.0.0.1:port/v1/listen?query}. */
    static DeepgramTestClient connect(int port, String query) {
        return connect(port, query, List.of(), List.of());
    }

    static DeepgramTestClient connect(int port, String query, List<String> headers, List<String> subprotocols) {
        return new DeepgramTestClient(
                URI.create("ws://127.0.0.1:" + port + "/v1/listen" + (query.isEmpty() ? "" : "?" + query)),
                headers,
                subprotocols);
    }

    DeepgramTestClient text(String json) {
        ws.sendText(json, true).join();
        return this;
    }

    DeepgramTestClient audio(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    /** Sends audio in chunks, as fast as the socket takes them. */
    DeepgramTestClient audio(byte[] bytes, int chunk) {
        for (int i = 0; i < bytes.length; i += chunk) {
            audio(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk)));
        }
        return this;
    }

    List<JsonNode> messages() {
        return new ArrayList<>(messages);
    }

    List<JsonNode> ofType(String type) {
        return messages.stream()
                .filter(m -> m.path("type").asText().equals(type))
                .toList();
    }

    /** Waits for a message that matches. */
    JsonNode await(Predicate<JsonNode> match) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> messages.stream().filter(match).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
    }

    /** Waits for the server's close. */
    Close awaitClose() {
        return close.orTimeout(60, TimeUnit.SECONDS).join();
    }

    boolean closed() {
        return close.isDone();
    }

    @Override
    public void close() {
        ws.abort();
    }
}

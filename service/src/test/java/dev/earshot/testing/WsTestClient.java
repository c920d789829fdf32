package dev.earshot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) for protocol v1 tests: collects the server's events in
 * order and the close code, and sends text, binary and JSON frames.
 */
public final class WsTestClient implements AutoCloseable {
    public static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket ws;

    private WsTestClient(URI uri, String origin) {
        this(uri, builder -> {
            if (origin != null) {
                builder.header("Origin", origin);
            }
        });
    }

    private WsTestClient(URI uri, java.util.function.Consumer<WebSocket.Builder> setup) {
        this(HTTP, uri, setup);
    }

    private WsTestClient(HttpClient http, URI uri, java.util.function.Consumer<WebSocket.Builder> setup) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        setup.accept(builder);
        ws = builder.buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                events.add(JSON.readTree(partial.toString()));
                            } catch (Exception e) {
                                events.add(JSON.createObjectNode()
                                        .put("event", "unparseable")
                                        .put("text", partial.toString()));
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closeCode.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closeCode.complete(-1);
                    }
                })
                .orTimeout(20, TimeUnit.SECONDS)
                .join();
    }

    /** Connects to {@code ws://127.0.0.1:port/api/v1/transcribe[/id]}. */
    public static WsTestClient connect(int port, String sessionId) {
        return connect(port, sessionId, null);
    }

    /** Connects to {@code uri} with headers or subprotocols that {@code setup} adds (credentials). */
    public static WsTestClient connect(URI uri, java.util.function.Consumer<WebSocket.Builder> setup) {
        return new WsTestClient(uri, setup);
    }

    /** Connects to {@code uri} through {@code http}: a client with its own TLS trust, for {@code wss:}. */
    public static WsTestClient connect(HttpClient http, URI uri) {
        return new WsTestClient(http, uri, builder -> {});
    }

    /** The subprotocol the server selected; empty for none. */
    public String subprotocol() {
        return ws.getSubprotocol();
    }

    public static WsTestClient connect(int port, String sessionId, String origin) {
        String path = "/api/v1/transcribe" + (sessionId == null ? "" : "/" + sessionId);
        return new WsTestClient(URI.create("ws://127.0.0.1:" + port + path), origin);
    }

    public WsTestClient send(String text) {
        ws.sendText(text, true).orTimeout(20, TimeUnit.SECONDS).join();
        return this;
    }

    public WsTestClient sendBinary(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true)
                .orTimeout(20, TimeUnit.SECONDS)
                .join();
        return this;
    }

    /** {@code start_transcription} with a raw JSON config object (or null for defaults). */
    public WsTestClient start(String configJson) {
        return send(
                "{\"type\":\"start_transcription\"" + (configJson == null ? "" : ",\"config\":" + configJson) + "}");
    }

    public WsTestClient stop() {
        return send("{\"type\":\"stop_transcription\"}");
    }

    /** Sends audio as binary frames of {@code chunk} bytes. */
    public WsTestClient audio(byte[] audio, int chunk) {
        for (int from = 0; from < audio.length; from += chunk) {
            sendBinary(java.util.Arrays.copyOfRange(audio, from, Math.min(audio.length, from + chunk)));
        }
        return this;
    }

    /** The next event, waiting up to a minute. */
    public JsonNode next() throws InterruptedException {
        JsonNode e = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + TIMEOUT + "; seen so far: " + seen);
        }
        seen.add(e);
        return e;
    }

    /** Skips events until one matches; fails if the socket closes first. */
    public JsonNode until(Predicate<JsonNode> match) throws InterruptedException {
        while (true) {
            JsonNode e = next();
            if (match.test(e)) {
                return e;
            }
        }
    }

    /** The text of the next {@code transcript} event's first alternative. */
    public String nextTranscript() throws InterruptedException {
        return until("transcript")
                .path("alternatives")
                .get(0)
                .path("transcript")
                .asText();
    }

    /** The next event with this {@code event} name. */
    public JsonNode until(String event) throws InterruptedException {
        return until(e -> e.path("event").asText().equals(event));
    }

    /** Every event received until the socket closed, in order. */
    public List<JsonNode> drainUntilClosed() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        closeCode.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode e;
        while ((e = events.poll()) != null) {
            seen.add(e);
            all.add(e);
        }
        return all;
    }

    /** The close code the server sent, waiting for it. */
    public int closeCode() throws Exception {
        return closeCode.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    public boolean closed() {
        return closeCode.isDone();
    }

    /** Sends a close frame with 1001 (going away), as a page that navigates away does. */
    public void closeGoingAway() {
        ws.sendClose(1001, "going away").join();
    }

    /** Drops the TCP connection without a close handshake. */
    public void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
        }
    }
}

package dev.earshot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Chrome DevTools protocol connection over the JDK's own WebSocket client: commands are JSON
 * objects with a number, answered by a message with that number; everything else is an event.
 *
 * <p>Why this and not Selenium or Playwright: the browser tests need a dozen commands, this needs
 * no dependency and no browser download, and it talks to Debian's Chromium as it is. Commands go
 * to a page through a flat session ({@code sessionId}), so one socket serves every page.
 */
public final class DevTools implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket ws;

    private DevTools(URI endpoint) {
        ws = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(endpoint, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String text = partial.toString();
                            partial.setLength(0);
                            receive(text);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        failAll(new IllegalStateException("DevTools connection closed: " + statusCode + " " + reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        failAll(error);
                    }
                })
                .orTimeout(20, TimeUnit.SECONDS)
                .join();
    }

    /** Connects to a browser's {@code ws://…/devtools/browser/…} endpoint. */
    public static DevTools connect(URI endpoint) {
        return new DevTools(endpoint);
    }

    /** A new parameters object. */
    public static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** Events (messages without an id), from every session; each carries its {@code sessionId}. */
    public void onEvent(Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    /**
     * Runs a command and returns its {@code result}.
     *
     * @param sessionId the page session, or null for the browser itself
     * @throws AssertionError when the browser answers with an error or not within the timeout
     */
    public JsonNode call(String sessionId, String method, ObjectNode params, Duration timeout) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params == null ? params() : params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            synchronized (ws) {
                ws.sendText(message.toString(), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            JsonNode reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.has("error")) {
                throw new AssertionError(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        } catch (TimeoutException e) {
            throw new AssertionError(method + " got no answer within " + timeout, e);
        } catch (ExecutionException e) {
            throw new AssertionError(method + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(method + " interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    private void receive(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (Exception e) {
            return;
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.get(message.get("id").asInt());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        for (Consumer<JsonNode> listener : listeners) {
            listener.accept(message);
        }
    }

    private void failAll(Throwable t) {
        pending.values().forEach(f -> f.completeExceptionally(t));
    }

    @Override
    public void close() {
        ws.abort();
    }
}

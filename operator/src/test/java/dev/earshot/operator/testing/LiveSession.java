package dev.earshot.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One transcription session on a real gateway, held open as a call would be: it can send audio
 * and hear its transcript at any time, and tells whether the gateway cut it ({@code going_away} or
 * a close the client did not ask for) before the client ended it.
 */
public final class LiveSession implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String id;
    private final WebSocket socket;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile boolean ending;

    private LiveSession(String id, URI uri) {
        this.id = id;
        this.socket = HTTP.newWebSocketBuilder()
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            try {
                                JsonNode event = JSON.readTree(text.toString());
                                seen.add(event);
                                events.add(event);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.complete(-1);
                    }
                })
                .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    /**
     * Opens a session and starts transcribing.
     *
     * @param gateway the gateway's public port
     * @param id session id
     * @throws AssertionError when the gateway refuses it
     */
    public static LiveSession open(EarshotProcess gateway, String id) {
        LiveSession session = new LiveSession(id, gateway.sessionUri(id));
        session.socket.sendText("{\"type\":\"start_transcription\"}", true).join();
        JsonNode first = session.next();
        if (!"transcription_started".equals(first.path("event").asText())) {
            session.socket.abort();
            throw new AssertionError("session " + id + " refused: " + first);
        }
        return session;
    }

    /**
     * The error a gateway answers a new session with as soon as it connects, such as a draining
     * one's (it closes the connection right after, so nothing is sent).
     */
    public static JsonNode refusal(EarshotProcess gateway, String id) {
        LiveSession session = new LiveSession(id, gateway.sessionUri(id));
        JsonNode first = session.next();
        session.socket.abort();
        return first;
    }

    private JsonNode next() {
        try {
            JsonNode event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("session " + id + ": no event within " + TIMEOUT + "; seen " + seen);
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends 100 ms of audio and returns the transcript it brings: the session works. */
    public String transcribe() {
        socket.sendBinary(ByteBuffer.wrap(new byte[3200]), true).join();
        while (true) {
            JsonNode event = next();
            if ("transcript".equals(event.path("event").asText())) {
                return event.path("alternatives").get(0).path("transcript").asText();
            }
        }
    }

    /** Whether the gateway has ended this session on its own: said going_away, or closed it. */
    public boolean cut() {
        return seen.stream().anyMatch(e -> "going_away".equals(e.path("event").asText()))
                || (closed.isDone() && !ending);
    }

    /** Whether the gateway told this session it goes away (a drain that ran out). */
    public boolean toldGoingAway() {
        return seen.stream().anyMatch(e -> "going_away".equals(e.path("event").asText()));
    }

    /** Ends the call: a normal close from the client, answered by the gateway. */
    public void end() {
        ending = true;
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        closed.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        ending = true;
        socket.abort();
    }

    @Override
    public String toString() {
        return id;
    }
}

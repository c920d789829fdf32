package dev.earshot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.testing.MarkerRiva;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One protocol v1 session of the recovery benchmark: marker chunks 1 to N ({@link MarkerRiva}),
 * 100 ms each, sent at real-time pace, then a stop; every event the server sends is kept with
 * the time it arrived, so gaps in the results can be measured afterwards.
 */
final class PacedSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CHUNK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** An event and when it arrived ({@link System#nanoTime}). */
    record Timed(long nanos, JsonNode event) {
        String name() {
            return event.path("event").asText();
        }
    }

    private final List<Timed> events = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    /** Runs the session to its close; returns what it received. */
    static PacedSession run(HttpClient http, URI url, int chunks) throws Exception {
        PacedSession session = new PacedSession();
        session.stream(http, url, chunks);
        return session;
    }

    private void stream(HttpClient http, URI url, int chunks) throws Exception {
        WebSocket ws = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .buildAsync(url, new Listener())
                .get(30, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"start_transcription\"}", true).get(30, TimeUnit.SECONDS);
        started.get(30, TimeUnit.SECONDS);
        long start = System.nanoTime();
        for (int i = 1; i <= chunks && !closed.isDone(); i++) {
            long wait = start + (i - 1) * CHUNK_NANOS - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            ws.sendBinary(ByteBuffer.wrap(MarkerRiva.chunk(i)), true).get(30, TimeUnit.SECONDS);
        }
        ws.sendText("{\"type\":\"stop_transcription\"}", true).get(30, TimeUnit.SECONDS);
        closed.get(120, TimeUnit.SECONDS);
    }

    /** Every event, in order of arrival. */
    synchronized List<Timed> events() {
        return List.copyOf(events);
    }

    /** The close code, or -1 when the connection failed. */
    int closeCode() {
        return closed.join();
    }

    /** The markers the finals name, in order. */
    List<Integer> finalMarkers() {
        List<Integer> markers = new ArrayList<>();
        for (Timed t : events()) {
            if (t.name().equals("transcript") && t.event().path("is_final").asBoolean()) {
                for (String w : t.event()
                        .path("alternatives")
                        .get(0)
                        .path("transcript")
                        .asText()
                        .split(" ")) {
                    markers.add(Integer.parseInt(w.substring(1)));
                }
            }
        }
        return markers;
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                try {
                    JsonNode event = JSON.readTree(partial.toString());
                    synchronized (PacedSession.this) {
                        events.add(new Timed(now, event));
                    }
                    if (event.path("event").asText().equals("transcription_started")) {
                        started.complete(null);
                    }
                } catch (Exception e) {
                    // not JSON: not an event of protocol v1, nothing to time
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            started.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
            started.complete(null);
        }
    }
}

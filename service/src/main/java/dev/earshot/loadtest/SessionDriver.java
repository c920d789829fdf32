package dev.earshot.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One load-test session over protocol v1: connects, starts, streams its chunks on the pacer's
 * schedule (or only keepalives, in hold mode), stops, and waits for {@code transcription_stopped}.
 * Against the synthetic recognizer, the answer to chunk N says {@code chunk N}; the time from
 * sending chunk N to reading that answer is the chunk's latency. Events are read by scanning the
 * text, not parsing it: the client must cost far less than the server it measures.
 */
final class SessionDriver implements WebSocket.Listener {
    private static final String STOP = "{\"type\":\"stop_transcription\"}";
    private static final String KEEPALIVE = "{\"type\":\"keepalive\"}";

    private final String id;
    private final LoadStats stats;
    private final long[] sentAt;
    private final BitSet answered;
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<String> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    SessionDriver(String id, int chunks, LoadStats stats) {
        this.id = id;
        this.stats = stats;
        this.sentAt = new long[chunks + 1];
        this.answered = new BitSet(chunks + 1);
    }

    /** Runs the session to its end; never throws. */
    void run(HttpClient http, URI base, byte[][] audio, Pacer pacer, long holdNanos) {
        WebSocket ws;
        try {
            ws = http.newWebSocketBuilder().buildAsync(URI.create(base + "/" + id), this).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            stats.refused("connect_failed");
            return;
        }
        try {
            try {
                ws.sendText("{\"type\":\"start_transcription\"}", true).get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException refusedAndClosed) {
                // a refused session is told why, then closed: the reason is in `started`
            }
            String refusal = started.get(30, TimeUnit.SECONDS);
            if (refusal != null) {
                stats.refused(refusal);
                return;
            }
            stats.established.incrementAndGet();
            stats.active.incrementAndGet();
            try {
                if (holdNanos > 0) {
                    hold(ws, holdNanos);
                } else {
                    stream(ws, audio, pacer);
                }
            } finally {
                stats.active.decrementAndGet();
            }
        } catch (Exception e) {
            stats.error(e.getClass().getSimpleName());
        } finally {
            ws.abort();
        }
    }

    private void stream(WebSocket ws, byte[][] audio, Pacer pacer) throws Exception {
        int chunks = sentAt.length - 1;
        for (int n = 0; n < chunks; n++) {
            pacer.awaitChunk(n);
            sentAt[n + 1] = System.nanoTime();
            ws.sendBinary(ByteBuffer.wrap(audio[n % audio.length]), true).get(30, TimeUnit.SECONDS);
            stats.chunksSent.increment();
        }
        long stopAt = System.nanoTime();
        ws.sendText(STOP, true).get(30, TimeUnit.SECONDS);
        stopped.get(60, TimeUnit.SECONDS);
        stats.stopLatency.record((System.nanoTime() - stopAt) / 1000);
        stats.completed.incrementAndGet();
        synchronized (answered) {
            if (answered.cardinality() < chunks || answered.nextClearBit(1) <= chunks) {
                stats.sessionsMissingResults.incrementAndGet();
            }
        }
    }

    private void hold(WebSocket ws, long holdNanos) throws Exception {
        long end = System.nanoTime() + holdNanos;
        while (System.nanoTime() < end && !stopped.isDone()) {
            long wait = Math.min(10_000_000_000L, end - System.nanoTime());
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            ws.sendText(KEEPALIVE, true).get(30, TimeUnit.SECONDS);
        }
        stats.completed.incrementAndGet();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            handle(partial);
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    private void handle(CharSequence text) {
        long now = System.nanoTime();
        stats.messagesReceived.increment();
        String s = text.toString();
        String event = field(s, "\"event\":\"");
        switch (event) {
            case "transcript" -> {
                int at = s.indexOf("\"transcript\":\"chunk ");
                if (at >= 0) {
                    int n = parseInt(s, at + "\"transcript\":\"chunk ".length());
                    if (n > 0 && n < sentAt.length) {
                        synchronized (answered) {
                            if (!answered.get(n)) {
                                answered.set(n);
                                stats.chunkLatency.record((now - sentAt[n]) / 1000);
                            }
                        }
                    }
                }
            }
            case "transcription_started" -> started.complete(null);
            case "transcription_stopped" -> stopped.complete(null);
            case "error" -> {
                String code = field(s, "\"code\":\"");
                if (!started.isDone()) {
                    started.complete(code);
                } else {
                    stats.error(code);
                    stopped.complete(null);
                }
            }
            case "going_away" -> {
                stats.error("going_away");
                stopped.complete(null);
            }
            default -> {
            }
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        started.complete("closed_" + statusCode);
        stopped.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        started.complete("connection_error");
        stopped.complete(null);
    }

    /** The string value after {@code key}, or "" when absent. */
    static String field(String s, String key) {
        int at = s.indexOf(key);
        if (at < 0) {
            return "";
        }
        int from = at + key.length();
        int to = s.indexOf('"', from);
        return to < 0 ? "" : s.substring(from, to);
    }

    static int parseInt(String s, int from) {
        int n = 0;
        for (int i = from; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }
}

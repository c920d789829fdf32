package dev.earshot.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Takes the {@code transcribe} command's session over on a new connection after its connection
 * dropped: reconnects to {@code …/transcribe/{session_id}?resume_token=…&last_seq=N} every half
 * second while the server may still hold the session (the {@code resume_grace_seconds} its
 * {@code transcription_started} said, its {@code sessions.resume-grace}), and waits for
 * {@code transcription_resumed}, which says from which byte to send the audio again. A refusal
 * (403, 404: the session is gone) ends the attempts at once.
 */
final class Resumption {
    /** The server's default {@code sessions.resume-grace}, for a server that does not say. */
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(15);

    private static final Duration RETRY = Duration.ofMillis(500);

    /** The connection that took over, and the audio the server has. */
    record Resumed(WebSocket socket, long audioReceivedBytes) {}

    private final HttpClient http;
    private final String url;
    private final String credential;
    private final TranscribeCommand.Printer printer;
    private final PrintStream err;

    /** {@code credential}: sent as {@code Authorization: Bearer} on every connection; null or blank: none. */
    Resumption(HttpClient http, String url, String credential, TranscribeCommand.Printer printer, PrintStream err) {
        this.http = http;
        this.url = url;
        this.credential = credential == null || credential.isBlank() ? null : credential.trim();
        this.printer = printer;
        this.err = err;
    }

    /**
     * Opens a connection whose events go to the printer, with the credential: a gateway that requires
     * one checks it on a resume too, and the session's principal must match.
     */
    WebSocket connect(URI uri) throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (credential != null) {
            builder.header("Authorization", "Bearer " + credential);
        }
        return builder.buildAsync(uri, printer).get(20, TimeUnit.SECONDS);
    }

    /** Resumes the session; null when it cannot be (then the printer is done with exit code 1). */
    Resumed resume() throws InterruptedException {
        if (printer.resumeToken == null) {
            printer.done.complete(1);
            return null;
        }
        if (!printer.resumeGrace.isPositive()) {
            err.println("[connection lost; the server does not keep a dropped session]");
            printer.done.complete(1);
            return null;
        }
        err.println("[connection lost; reconnecting…]");
        long deadline = System.nanoTime() + printer.resumeGrace.toNanos();
        while (System.nanoTime() - deadline < 0 && !printer.done.isDone()) {
            CompletableFuture<Long> resumed = printer.reconnecting();
            try {
                WebSocket ws = connect(uri());
                long bytes = CompletableFuture.anyOf(resumed, printer.done).get(20, TimeUnit.SECONDS)
                                instanceof Long received
                        ? received
                        : -1;
                if (bytes >= 0) {
                    err.println("[resumed]");
                    return new Resumed(ws, bytes);
                }
                return null; // resume_failed: the printer has said why
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WebSocketHandshakeException refused) {
                    err.println("[cannot resume: HTTP " + refused.getResponse().statusCode() + "]");
                    printer.done.complete(1);
                    return null;
                }
                Thread.sleep(RETRY); // the server is not reachable yet
            } catch (java.util.concurrent.TimeoutException e) {
                Thread.sleep(RETRY);
            }
        }
        if (!printer.done.isDone()) {
            err.println("[cannot resume: the server keeps a dropped session " + printer.resumeGrace.toMillis() / 1000.0
                    + " s]");
        }
        printer.done.complete(1);
        return null;
    }

    /** The base URL with the session's id (unless it named one already) and the resume parameters. */
    URI uri() {
        String base = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        String id = printer.sessionId;
        if (!base.endsWith("/" + id)) {
            base = (base.endsWith("/") ? base : base + "/") + URLEncoder.encode(id, StandardCharsets.UTF_8);
        }
        return URI.create(base + "?resume_token=" + URLEncoder.encode(printer.resumeToken, StandardCharsets.UTF_8)
                + "&last_seq=" + printer.lastSeq);
    }
}

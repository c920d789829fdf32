package dev.earshot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.audio.AudioFormat;
import dev.earshot.audio.AudioFormatException;
import dev.earshot.audio.WavHeader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code earshot transcribe FILE.wav [--url ws://host:8080/api/v1/transcribe] [--realtime]}:
 * streams a WAV file through protocol v1 in 100 ms chunks and prints the transcript as it comes.
 * On a terminal: the current interim on one line, rewritten in place, and each final on a line of
 * its own; into a pipe or a file: the finals only, one per line. The file goes as fast as the
 * gateway takes it: when the recognizer is slower, the gateway stops reading and TCP holds this
 * client back, so no pacing is needed ({@code --realtime} paces it anyway, as a microphone would).
 * Exits 0 when the server reports {@code transcription_stopped}, 1 on an error event or a refused
 * connection. A gateway that requires credentials gets the API key, token or JWT in
 * {@code EARSHOT_API_KEY} as {@code Authorization: Bearer}: from the environment rather than an
 * argument, which other users of the machine could read in the process list.
 *
 * <p>A connection that drops mid-stream is resumed ({@link Resumption}): the command reconnects
 * with the session's {@code resume_token}, the last event it printed and the same credential,
 * prints the events it missed, and sends the file again from the byte the server says it has.
 */
public final class TranscribeCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String USAGE = """
            usage: earshot transcribe FILE.wav [--url ws://localhost:8080/api/v1/transcribe] [--realtime]
              FILE.wav    16-bit PCM (8-48 kHz), mu-law or A-law, mono; e.g. the repository's
                          samples/a_long01.wav, or samples/a_tel01.wav (8 kHz mu-law)
              --url       the gateway's WebSocket endpoint
              --realtime  send 100 ms of audio every 100 ms (default: as fast as the gateway takes it)
            On a terminal the current interim is shown and rewritten; otherwise only finals, one per line.
            A gateway that requires credentials: export EARSHOT_API_KEY=<API key, token or JWT>.
            example: java -jar service/target/earshot.jar transcribe samples/a_long01.wav
            """;

    private TranscribeCommand() {}

    /** Runs with interims shown only when standard output is a terminal. */
    public static int run(String[] args, PrintStream out) throws Exception {
        return run(args, out, Terminal.isInteractive());
    }

    /** Runs, showing interims (rewritten in place) when {@code interims}, else finals only. */
    public static int run(String[] args, PrintStream out, boolean interims) throws Exception {
        return run(args, out, interims, System.getenv(API_KEY_VARIABLE));
    }

    /** The environment variable that holds the credential for a gateway that requires one. */
    static final String API_KEY_VARIABLE = "EARSHOT_API_KEY";

    /** Runs with {@code credential} (null or blank: none) sent as {@code Authorization: Bearer}. */
    static int run(String[] args, PrintStream out, boolean interims, String credential) throws Exception {
        String url = "ws://localhost:8080/api/v1/transcribe";
        boolean realtime = false;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--realtime" -> realtime = true;
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> file = Path.of(args[i]);
            }
        }
        if (file == null) {
            out.print(USAGE);
            return 2;
        }
        byte[] wav = Files.readAllBytes(file);
        WavHeader header;
        try {
            header = WavHeader.parse(wav);
        } catch (AudioFormatException e) {
            out.println(file + ": " + e.getMessage());
            return 2;
        }
        AudioFormat format = header.format();
        byte[] audio = Arrays.copyOfRange(wav, header.dataOffset(), wav.length);
        int chunk =
                Math.max(1, format.sampleRateHertz() / 10) * format.bytesPerSample() * Math.max(1, format.channels());

        Printer printer = new Printer(out, interims);
        HttpClient http = HttpClient.newHttpClient();
        Resumption resumption = new Resumption(http, url, credential, printer, out);
        WebSocket ws;
        try {
            ws = resumption.connect(URI.create(url));
        } catch (ExecutionException e) {
            out.println(refusal(e.getCause()));
            http.close();
            return 1;
        }
        ws.sendText(
                        "{\"type\":\"start_transcription\",\"config\":{\"encoding\":\"" + format.encoding()
                                + "\",\"sample_rate_hertz\":" + format.sampleRateHertz() + "}}",
                        true)
                .join();
        // the audio waits for the session's resume token: a connection that drops later can be resumed
        CompletableFuture.anyOf(printer.started, printer.done).get(20, TimeUnit.SECONDS);
        long start = System.nanoTime();
        int from = 0;
        boolean stopped = false;
        while (!printer.done.isDone()) {
            try {
                for (; from < audio.length && !printer.done.isDone(); from += chunk) {
                    if (realtime) {
                        long due = start + (from / chunk) * 100_000_000L;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    ws.sendBinary(ByteBuffer.wrap(audio, from, Math.min(chunk, audio.length - from)), true)
                            .join();
                }
                if (!printer.done.isDone() && !stopped) {
                    ws.sendText("{\"type\":\"stop_transcription\"}", true).join();
                    stopped = true;
                }
                printer.endOrDrop().get(10, TimeUnit.MINUTES);
            } catch (java.util.concurrent.CompletionException e) {
                // a send failed: the connection dropped
            }
            if (!printer.done.isDone()) { // the connection dropped: resume, and send again what the server lacks
                Resumption.Resumed resumed = resumption.resume();
                if (resumed == null) {
                    break;
                }
                ws = resumed.socket();
                from = (int) Math.min(audio.length, resumed.audioReceivedBytes());
                from -= from % format.bytesPerSample(); // the server counts whole frames; stay on a sample
                stopped = false;
            }
        }
        int code = printer.done.isDone() ? printer.done.get() : 1;
        ws.abort();
        http.close();
        return code;
    }

    /** Why the gateway would not take the connection, in one line. */
    static String refusal(Throwable cause) {
        if (cause instanceof WebSocketHandshakeException refused) {
            int status = refused.getResponse().statusCode();
            return switch (status) {
                case 401 ->
                    "the gateway requires credentials (HTTP 401): set " + API_KEY_VARIABLE
                            + " to an API key, token or JWT";
                case 429 -> "the gateway refused the session: too many for this key right now (HTTP 429)";
                default -> "the gateway refused the connection: HTTP " + status;
            };
        }
        return "cannot connect to the gateway: " + cause;
    }

    /**
     * Prints events as they come, from whichever connection of the session brings them; completes
     * {@link #done} with the exit code, or {@link #endOrDrop} when the connection drops first.
     * Remembers what a resume needs: the session, its token, the last event printed.
     */
    static final class Printer implements WebSocket.Listener {
        private final PrintStream out;
        private final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        final CompletableFuture<Void> started = new CompletableFuture<>();
        private final boolean interims;
        private int interimLength;
        volatile String sessionId;
        volatile String resumeToken;
        /** How long the server waits for a resume: its {@code resume_grace_seconds}, else its default. */
        volatile Duration resumeGrace = Resumption.DEFAULT_GRACE;

        volatile long lastSeq;
        private volatile CompletableFuture<Void> dropped = new CompletableFuture<>();
        private volatile CompletableFuture<Long> resumed = new CompletableFuture<>();
        /** The connection that speaks for the session; null while reconnecting. A late close or error of an old one is not a drop. */
        private volatile WebSocket current;

        Printer(PrintStream out, boolean interims) {
            this.out = out;
            this.interims = interims;
        }

        @Override
        public void onOpen(WebSocket ws) {
            current = ws;
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    handle(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    out.println("unreadable event: " + partial);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        /** Completes when the session is over or the connection dropped. */
        CompletableFuture<Object> endOrDrop() {
            return CompletableFuture.anyOf(done, dropped);
        }

        /** A new connection is about to take over: the next drop and resume are its own. */
        CompletableFuture<Long> reconnecting() {
            current = null;
            dropped = new CompletableFuture<>();
            resumed = new CompletableFuture<>();
            return resumed;
        }

        private void handle(JsonNode e) {
            if (e.has("seq")) {
                long seq = e.path("seq").asLong();
                if (seq <= lastSeq) {
                    return; // came on the old connection too, after the resume asked for it again
                }
                lastSeq = seq;
            }
            switch (e.path("event").asText()) {
                case "transcription_started" -> {
                    sessionId = e.path("session_id").asText();
                    resumeToken = e.path("resume_token").asText(null);
                    if (e.path("resume_grace_seconds").isNumber()) {
                        resumeGrace = Duration.ofMillis(
                                Math.round(e.path("resume_grace_seconds").asDouble() * 1000));
                    }
                    started.complete(null);
                }
                case "transcription_resumed" ->
                    resumed.complete(e.path("audio_received_bytes").asLong());
                case "transcript" -> {
                    String text =
                            e.path("alternatives").path(0).path("transcript").asText();
                    if (e.path("is_final").asBoolean()) {
                        clearInterim();
                        out.println(text);
                    } else if (interims && e.path("stability").floatValue() < 1.0f) {
                        clearInterim();
                        out.print(text);
                        interimLength = text.length();
                    }
                    out.flush();
                }
                case "transcription_stopped" -> {
                    clearInterim();
                    out.printf("[%.1f s of audio]%n", e.path("audio_seconds").asDouble());
                    done.complete(0);
                }
                case "error" -> {
                    clearInterim();
                    out.println("error " + e.path("code").asText() + ": "
                            + e.path("message").asText());
                    done.complete(1);
                }
                case "going_away" -> {
                    clearInterim();
                    out.println("the server is shutting down");
                    done.complete(1);
                }
                default -> {}
            }
        }

        private void clearInterim() {
            if (interimLength > 0) {
                out.print("\r" + " ".repeat(interimLength) + "\r");
                interimLength = 0;
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (ws != current) {
                return null; // an old connection, which a resume has replaced
            }
            if (statusCode == 1001 && !done.isDone() && resumeToken != null) {
                dropped.complete(null); // a proxy or load balancer going away: the session waits for us
            } else {
                done.complete(statusCode == 1000 ? 0 : 1);
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (ws != current) {
                return; // an old connection, which a resume has replaced
            }
            if (resumeToken != null && !done.isDone()) {
                dropped.complete(null); // the session waits on the server for a resume
                return;
            }
            out.println("connection failed: " + error);
            done.complete(1);
        }
    }
}

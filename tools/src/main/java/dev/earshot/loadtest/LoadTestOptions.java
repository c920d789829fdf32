package dev.earshot.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code earshot-tools loadtest} is asked to do.
 *
 * @param url           the gateway's WebSocket endpoint, e.g. {@code ws://127.0.0.1:8080/api/v1/transcribe}
 * @param metrics       the gateway's Prometheus scrape on its admin listener; by default port 9090 of
 *                      {@code url}'s host ({@code server.admin-port})
 * @param sessions      how many sessions to open
 * @param rampPerSecond how many sessions to open per second
 * @param seconds       audio per session (streaming mode) or how long to hold (hold mode)
 * @param realtime      pace audio in real time (else as fast as possible)
 * @param hold          open sessions that only send keepalives (idle capacity and memory)
 * @param loops         event loops (platform threads, one selector each) that run the sessions
 * @param wav           a 16 kHz 16-bit mono WAV to stream (looped), or empty for silence
 * @param json          where to write the JSON report, if anywhere ({@code -} for stdout)
 * @param quiet         no live progress line
 */
public record LoadTestOptions(
        URI url,
        URI metrics,
        int sessions,
        int rampPerSecond,
        int seconds,
        boolean realtime,
        boolean hold,
        int loops,
        Optional<Path> wav,
        Optional<String> json,
        boolean quiet) {

    static final String USAGE = """
            usage: earshot-tools loadtest [--url ws://127.0.0.1:8080/api/v1/transcribe] [--sessions N]
                                          [--metrics http://127.0.0.1:9090/observe/metrics]
                                          [--ramp N/s] [--seconds S] [--fast] [--hold] [--loops N]
                                          [--wav FILE] [--json FILE|-] [--quiet]
              --metrics   the gateway's scrape on its admin port (default: port 9090 of --url's host)
              --sessions  sessions to open (default 100)
              --ramp      sessions opened per second (default 200)
              --seconds   audio per session, or how long --hold keeps sessions (default 10)
              --fast      send audio as fast as possible instead of in real time
              --hold      sessions send only keepalives: measures idle capacity and memory
              --loops     event loops (threads) running the sessions (default 1)
              --wav       16 kHz 16-bit mono WAV to stream (looped); default silence
              --json      write the report as JSON to FILE, or - for stdout
              --quiet     no live progress line
            plain ws:// only (the tool speaks RFC 6455 itself, without TLS); aim it at a gateway
            started with -Dasr.engine=synthetic, e.g.
              java -Dasr.engine=synthetic -jar service/target/earshot.jar serve
              java -jar tools/target/earshot-tools.jar loadtest --sessions 50 --seconds 5
            """;

    /** Parses the command line. */
    public static LoadTestOptions parse(String[] args) {
        URI url = URI.create("ws://127.0.0.1:8080/api/v1/transcribe");
        URI metrics = null;
        int sessions = 100;
        int ramp = 200;
        int seconds = 10;
        boolean realtime = true;
        boolean hold = false;
        int loops = 1;
        Optional<Path> wav = Optional.empty();
        Optional<String> json = Optional.empty();
        boolean quiet = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = URI.create(args[++i]);
                case "--metrics" -> metrics = URI.create(args[++i]);
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--ramp" -> ramp = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--fast" -> realtime = false;
                case "--hold" -> hold = true;
                case "--loops" -> loops = Integer.parseInt(args[++i]);
                case "--wav" -> wav = Optional.of(Path.of(args[++i]));
                case "--json" -> json = Optional.of(args[++i]);
                case "--quiet" -> quiet = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        if (sessions < 1 || ramp < 1 || seconds < 1 || loops < 1) {
            throw new IllegalArgumentException(
                    "--sessions, --ramp, --seconds and --loops must be at least 1\n" + USAGE);
        }
        if (!"ws".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be ws://host[:port]/path\n" + USAGE);
        }
        if (metrics == null) {
            metrics = adminMetrics(url, 9090);
        }
        return new LoadTestOptions(url, metrics, sessions, ramp, seconds, realtime, hold, loops, wav, json, quiet);
    }

    /** {@code http://<url's host>:<adminPort>/observe/metrics}: where a gateway's admin listener scrapes. */
    public static URI adminMetrics(URI url, int adminPort) {
        String host = url.getHost().contains(":") ? "[" + url.getHost() + "]" : url.getHost();
        return URI.create("http://" + host + ":" + adminPort + "/observe/metrics");
    }
}

package dev.earshot.bench;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.MarkerRiva;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import io.grpc.Status;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * The recovery benchmark ({@code earshot-tools bench-recovery}): how long a client goes without
 * results while its session moves to a new Riva stream. A Riva-compatible backend
 * ({@link MarkerRiva}, gRPC on loopback) fails every stream with {@code UNAVAILABLE} after K audio
 * chunks; a gateway in this process stands in front of it; N sessions stream at real-time pace.
 * Each recovery's gap is measured at the client, from its last result before
 * {@code backend_recovered} to its first after ({@link RecoveryGaps}), next to the gaps between
 * results when nothing fails; and every session is checked to have every chunk in exactly one
 * final. Exit code 0 only when every session completed with none lost or doubled.
 */
public final class RecoveryBenchmark {
    static final String USAGE = """
            usage: earshot-tools bench-recovery [--sessions N] [--seconds S] [--fail-every K]
              --sessions    sessions at once, streaming at real-time pace (default 20)
              --seconds     audio per session, in 100 ms chunks (default 30)
              --fail-every  every Riva stream fails (UNAVAILABLE) after this many chunks (default 30)
            A marker backend and a gateway run in this process (riva.retry.* at its defaults). Reports
            the gap in results around each recovery (last result before backend_recovered to the first
            after), p50/p99/max, the gaps when nothing fails, and whether every chunk is in exactly one
            final.
              java -jar tools/target/earshot-tools.jar bench-recovery --sessions 50 --seconds 60
            """;

    /** Held here: JUL forgets the level of a logger nobody references. */
    private static final List<Logger> QUIET =
            List.of(Logger.getLogger("dev.earshot"), Logger.getLogger("io.helidon"), Logger.getLogger("io.grpc"));

    private RecoveryBenchmark() {}

    /** Parses the options and runs; returns the exit code. */
    public static int run(String[] args, PrintStream out) throws Exception {
        int sessions = 20;
        int seconds = 30;
        int failEvery = 30;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--sessions" -> sessions = positive(args, ++i);
                    case "--seconds" -> seconds = positive(args, ++i);
                    case "--fail-every" -> failEvery = positive(args, ++i);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (seconds * 10 > Short.MAX_VALUE) {
                throw new IllegalArgumentException("--seconds is at most " + Short.MAX_VALUE / 10);
            }
        } catch (IllegalArgumentException e) {
            out.print(e.getMessage() + "\n" + USAGE);
            return 2;
        }
        RecoveryGaps gaps = measure(sessions, seconds, failEvery);
        out.print(gaps.table(sessions, seconds, failEvery));
        return gaps.allExactlyOnce(sessions) ? 0 : 1;
    }

    private static int positive(String[] args, int i) {
        try {
            int value = Integer.parseInt(args[i]);
            if (value > 0) {
                return value;
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(args[i - 1] + " takes a positive whole number");
    }

    /** Runs the sessions against a failing backend and measures what their clients saw. */
    static RecoveryGaps measure(int sessions, int seconds, int failEvery) throws Exception {
        int chunks = seconds * 10;
        try (MarkerRiva riva = MarkerRiva.start(5).always(MarkerRiva.Plan.failAfter(failEvery, Status.UNAVAILABLE));
                GatewayServer gateway = TestGateways.toRiva(
                        SessionSettings.defaults().withMax(sessions), TestConfigs.riva("127.0.0.1:" + riva.port()));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // after the gateway started (it reads its logging configuration): a recovery is logged at INFO
            QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
            HttpClient http = HttpClient.newHttpClient();
            URI url = URI.create("ws://127.0.0.1:" + gateway.port() + "/api/v1/transcribe");
            List<Future<PacedSession>> running = new ArrayList<>();
            for (int i : IntStream.range(0, sessions).toArray()) {
                long stagger = 1000L * i / sessions; // spread over a second: streams do not fail in lockstep
                running.add(threads.submit(() -> {
                    Thread.sleep(stagger);
                    return PacedSession.run(http, url, chunks);
                }));
            }
            RecoveryGaps gaps = new RecoveryGaps(chunks);
            for (Future<PacedSession> session : running) {
                gaps.add(session.get());
            }
            return gaps;
        }
    }
}

package dev.earshot.tools;

import dev.earshot.bench.AsrBenchmark;
import dev.earshot.bench.RecoveryBenchmark;
import dev.earshot.loadtest.LoadTest;
import dev.earshot.loadtest.StalledClient;
import java.util.Arrays;

/**
 * The developer tools' command line ({@code java -jar tools/target/earshot-tools.jar}): the load
 * tool, the recognizer benchmark and the recovery benchmark. They measure the product and are not part of it, so they
 * live outside {@code earshot.jar}: what the container image ships is the gateway, the recognizer
 * and the reference client.
 */
public final class Main {
    private static final String USAGE = """
            usage: java -jar tools/target/earshot-tools.jar <command> [options]

            commands:
              loadtest [--url ws://…] [--sessions N] [--ramp N] [--seconds S] [--fast] [--hold]
                       [--loops N] [--wav F] [--json F|-] [--quiet]
                           open N sessions against a gateway running asr.engine=synthetic and
                           report latency, errors, and the gateway's CPU and memory
              stall [--url URL] [--seconds S]
                           one session that streams audio and never reads (beside loadtest:
                           bench/slow-client.sh)
              bench-asr [AUDIO_DIR]
                           benchmark the embedded recognizer on the sample corpus (load time,
                           WER, real-time factor, heap per decoder); default AUDIO_DIR: samples/
              bench-recovery [--sessions N] [--seconds S] [--fail-every K]
                           the gap in results while sessions recover onto new Riva streams
                           (a failing backend and a gateway in this process)

            `<command> --help` says more; docs/performance.md has the method and the figures.
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int code = switch (args[0]) {
            case "loadtest" -> LoadTest.main(rest, System.out);
            case "bench-asr" -> AsrBenchmark.run(rest, System.out);
            case "stall" -> StalledClient.main(rest, System.out);
            case "bench-recovery" -> RecoveryBenchmark.run(rest, System.out);
            default -> {
                System.err.println("unknown command: " + args[0]);
                System.err.print(USAGE);
                yield 2;
            }
        };
        System.exit(code);
    }
}

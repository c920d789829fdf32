package dev.earshot;

import dev.earshot.asr.AsrConfig;
import dev.earshot.asr.AsrServer;
import dev.earshot.auth.KeysCommand;
import dev.earshot.cli.TranscribeCommand;
import dev.earshot.config.ConfigLoader;
import dev.earshot.gateway.GatewayConfig;
import dev.earshot.gateway.GatewayServer;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Earshot's command line: {@code serve} runs the gateway, {@code transcribe} is its reference
 * client, {@code asr-server} runs the embedded Riva-compatible recognizer alone.
 * Configuration comes from {@code application.yaml}, overridden by environment variables and
 * system properties ({@code -Dasr.port=50052}).
 */
public final class Main {
    private static final String USAGE = """
            usage: java -jar earshot.jar <command> [options]

            commands:
              serve        run the gateway: WebSocket protocol v1, REST, health, metrics
                           (server.port 8080), with the embedded recognizer unless
                           riva.endpoint is set
              transcribe FILE.wav [--url ws://localhost:8080/api/v1/transcribe] [--realtime]
                           stream a WAV file to a running gateway and print the transcript,
                           e.g. transcribe samples/a_long01.wav --realtime
              asr-server   run the embedded Riva-compatible recognizer (gRPC, asr.port 50051)
              keys new NAME [--file FILE]
                           print a new API key once and append its hash to FILE
                           (default auth.api-keys-file)

            configuration: application.yaml, environment variables (ASR_PORT) and system
            properties (-Dasr.port=50052); see the README for every key.
            The load tool and the recognizer benchmark are in tools/target/earshot-tools.jar.
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (args[0].equals("transcribe")) {
            System.exit(TranscribeCommand.run(rest, System.out));
        }
        LogConfig.configureRuntime();
        Config config = ConfigLoader.load();
        if (args[0].equals("keys")) {
            Optional<Path> file = config.get("auth.api-keys-file")
                    .asString()
                    .asOptional()
                    .filter(s -> !s.isBlank())
                    .map(Path::of);
            System.exit(KeysCommand.run(rest, file, System.out, System.err));
        }
        try {
            switch (args[0]) {
                case "serve" -> runGateway(config);
                case "asr-server" -> runAsrServer(config);
                default -> {
                    System.err.println("unknown command: " + args[0] + " " + String.join(" ", rest));
                    System.err.print(USAGE);
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            // a configuration the gateway must not run with: one line that says which key and why
            System.err.println("earshot: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void runGateway(Config config) {
        GatewayServer gateway = GatewayServer.start(GatewayConfig.from(config));
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::shutdown, "earshot-drain"));
    }

    private static void runAsrServer(Config config) throws InterruptedException {
        AsrServer server = AsrServer.start(AsrConfig.from(config));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "asr-shutdown"));
        server.awaitTermination(); // gRPC's threads are daemons: main must hold the process
    }
}

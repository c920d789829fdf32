package dev.earshot.testing;

import dev.earshot.asr.AsrConfig;
import dev.earshot.asr.AsrServer;

/**
 * One embedded recognizer (sphinx4, two decoders, a free port) shared by every test in the JVM:
 * loading the model takes seconds, so it is started once and stopped at exit.
 */
public final class EmbeddedRecognizer {
    public static final int POOL_SIZE = 2;
    private static AsrServer server;

    private EmbeddedRecognizer() {}

    public static synchronized AsrServer get() {
        if (server == null) {
            server = AsrServer.start(new AsrConfig(0, AsrConfig.SPHINX4, POOL_SIZE, 64 * 1024 * 1024, ""));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }
}

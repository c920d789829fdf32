package dev.earshot.asr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default decoder count: two per core, fewer when the heap cannot hold their working sets. */
class PoolSizeTest {
    static final long MB = 1024 * 1024;

    @Test
    void twoDecodersPerCoreWhenTheHeapHoldsThem() {
        assertEquals(4, PoolSize.of(2, 4096 * MB).decoders());
        assertEquals(16, PoolSize.of(8, 8192 * MB).decoders());
    }

    @Test
    void theHeapCapsThePoolBeyondTheSharedModelAndTheReserve() {
        long heap = (PoolSize.MODEL_MB + PoolSize.RESERVE_MB + 3 * PoolSize.STREAM_MB) * MB;
        PoolSize size = PoolSize.of(4, heap);
        assertEquals(3, size.decoders());
        assertEquals(8, size.byCores());
        assertEquals(3, size.byHeap());
    }

    @Test
    void neverFewerThanOne() {
        assertEquals(1, PoolSize.of(2, 64 * MB).decoders());
        assertEquals(
                2,
                PoolSize.of(0, 4096 * MB).decoders(),
                "a JVM that reports no processors still gets one core's worth");
    }

    @Test
    void configurationWithoutPoolSizeOrQueueTimeoutGetsTheDefaults() {
        AsrConfig config = AsrConfig.from(Config.just(ConfigSources.create(Map.of())));
        assertEquals(PoolSize.forThisMachine().decoders(), config.poolSize());
        assertEquals(Duration.ofSeconds(2), config.queueTimeout());

        AsrConfig set = AsrConfig.from(
                Config.just(ConfigSources.create(Map.of("asr.pool-size", "5", "asr.queue-timeout", "PT0.5S"))));
        assertEquals(5, set.poolSize());
        assertEquals(Duration.ofMillis(500), set.queueTimeout());
    }
}

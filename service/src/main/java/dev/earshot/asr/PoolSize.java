package dev.earshot.asr;

/**
 * How many Sphinx4 decoders ({@code asr.pool-size}) a machine carries when configuration does not
 * say. The rule: {@value #STREAMS_PER_CORE} decoders per available processor, fewer if the heap
 * cannot hold their working sets; never fewer than one.
 *
 * <p>Why two per core: measured with {@code earshot-tools bench-asr --concurrency 1,2,4,6} on this
 * project's 2-core machines (README, "Performance"): a live stream of speech at real-time pace,
 * with interim results, costs about half a core (CPU real-time factor 0.46–0.51, garbage
 * collection included), and four streams on two cores kept real time (stop to final p95 0.4 s)
 * while six fell behind (p95 2.8 s, growing with the stream). More decoders than the cores keep
 * in step would only let every stream fall behind together; a stream beyond the pool waits
 * ({@code asr.queue-timeout}) instead.
 *
 * <p>Why the heap cap: every decoder shares one model ({@value #MODEL_MB} MB of live heap), a
 * stream being decoded adds its search's tokens and lattice for the current utterance, up to
 * about {@value #STREAM_MB} MB at the peak, and {@value #RESERVE_MB} MB are left for the gateway
 * and everything else. An idle decoder costs under 1 MB.
 *
 * @param decoders the pool size
 * @param byCores  what the cores carry: {@value #STREAMS_PER_CORE} per core
 * @param byHeap   what the heap holds
 */
public record PoolSize(int decoders, int byCores, int byHeap) {
    public static final int STREAMS_PER_CORE = 2;
    public static final int MODEL_MB = 180;
    public static final int STREAM_MB = 40;
    public static final int RESERVE_MB = 200;

    /** For this JVM: its available processors and its maximum heap. */
    public static PoolSize forThisMachine() {
        return of(
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory());
    }

    /** The smaller of {@value #STREAMS_PER_CORE} per core and what {@code maxHeapBytes} holds; at least one. */
    public static PoolSize of(int cores, long maxHeapBytes) {
        int byCores = Math.max(1, cores) * STREAMS_PER_CORE;
        long freeMb = maxHeapBytes / (1024 * 1024) - MODEL_MB - RESERVE_MB;
        int byHeap = (int) Math.max(1, Math.min(Integer.MAX_VALUE, freeMb / STREAM_MB));
        return new PoolSize(Math.min(byCores, byHeap), byCores, byHeap);
    }

    @Override
    public String toString() {
        return decoders + " decoders (" + STREAMS_PER_CORE + " per core: " + byCores + "; the heap holds " + byHeap
                + ")";
    }
}

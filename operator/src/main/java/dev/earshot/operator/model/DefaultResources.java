package dev.earshot.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;

/**
 * Requests and a memory limit for gateway pods whose SpeechService sets no {@code resources}.
 * Without them a pod is BestEffort: first evicted, scheduled where nothing is left, and (the image
 * sizes the heap at 75 % of the container's memory limit) given a heap of 75 % of the node's
 * memory, which the JVM then fills before collecting.
 *
 * <p>The figures come from docs/performance.md and the README's recognizer notes. The gateway:
 * about 66 µs of CPU per 100 ms audio chunk, 1,500 real-time sessions per core at full use, so
 * 1 millicore per session of {@code sessions.maxPerReplica} keeps a full pod near the 70 % that
 * holds p99 latency down; about 170 MB base and 14 KB per idle session, rounded up to 384 MiB and
 * 64 KiB per session for audio buffers and the 25 % of the limit that is not heap. The embedded
 * Sphinx4 recognizer: a live stream with interim results costs about half a core (measured with
 * {@code bench-asr --concurrency}: 0.46–0.51 of a core per stream, 4 streams on 2 cores keep real
 * time, 6 fall behind; the gateway's default pool is 2 decoders per core), so 500m per decoder; one model of about 170 MB of heap for all decoders (256 MiB of limit at the
 * image's 75 % heap) and a working set of tens of MB per stream being decoded (64 MiB each).
 * Two decoders behind {@code maxPerReplica: 2} thus get 769 MiB (577 MiB of heap), which still
 * holds the 500 MB the recognizer needed before its decoders shared one model. The synthetic engine and an external Riva cost
 * the pod nothing beyond the gateway.
 *
 * <p>Memory request = limit, so the heap the JVM sizes from the limit is memory the scheduler
 * reserved. No CPU limit: CFS throttling would stall every live stream on the pod for the rest of
 * a period whenever a burst (a model warm-up, a GC) used the quota, and the JVM would size its
 * carrier and GC threads to the limit; the request still reserves the CPU on the node.
 */
public final class DefaultResources {

    static final int GATEWAY_MILLICORES = 100;
    static final int MILLICORES_PER_SESSION = 1;
    static final int GATEWAY_MEBIBYTES = 384;
    static final int SESSIONS_PER_MEBIBYTE = 16;
    static final int MILLICORES_PER_DECODER = 500;
    static final int MODEL_MEBIBYTES = 256;
    static final int MEBIBYTES_PER_DECODER = 64;

    private DefaultResources() {}

    /**
     * The default resources of one gateway pod.
     *
     * @param maxSessionsPerReplica the pod's hard session limit
     * @param recognizer what decodes the streams
     * @return requests for CPU and memory, and a memory limit equal to the request
     */
    public static ResourceRequirements of(int maxSessionsPerReplica, Recognizer recognizer) {
        long millicores = GATEWAY_MILLICORES + (long) MILLICORES_PER_SESSION * maxSessionsPerReplica;
        long mebibytes =
                GATEWAY_MEBIBYTES + (maxSessionsPerReplica + SESSIONS_PER_MEBIBYTE - 1) / SESSIONS_PER_MEBIBYTE;
        if (recognizer.engine() == Recognizer.Engine.SPHINX4) {
            millicores += (long) MILLICORES_PER_DECODER * recognizer.decoders();
            mebibytes += MODEL_MEBIBYTES + (long) MEBIBYTES_PER_DECODER * recognizer.decoders();
        }
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", cpu(millicores))
                .addToRequests("memory", memory(mebibytes))
                .addToLimits("memory", memory(mebibytes))
                .build();
    }

    /**
     * Quantities in the API server's canonical form ("1", not "1000m"; "1Gi", not "1024Mi"), so
     * the object read back equals the one applied and no reconcile sees a change that is not one.
     */
    static Quantity cpu(long millicores) {
        return new Quantity(millicores % 1000 == 0 ? Long.toString(millicores / 1000) : millicores + "m");
    }

    static Quantity memory(long mebibytes) {
        return new Quantity(mebibytes % 1024 == 0 ? mebibytes / 1024 + "Gi" : mebibytes + "Mi");
    }

    /** Whether a spec's resources say anything; null or {@code {}} leaves the defaults to us. */
    static boolean isUnset(ResourceRequirements resources) {
        return resources == null
                || (isEmpty(resources.getRequests())
                        && isEmpty(resources.getLimits())
                        && (resources.getClaims() == null
                                || resources.getClaims().isEmpty()));
    }

    private static boolean isEmpty(Map<String, Quantity> quantities) {
        return quantities == null || quantities.isEmpty();
    }
}

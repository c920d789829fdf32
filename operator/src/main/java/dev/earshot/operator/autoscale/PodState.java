package dev.earshot.operator.autoscale;

import java.util.Objects;

/**
 * One pod of a SpeechService as a poll saw it: from the informer cache whether it runs and is
 * Ready, and from its admin port what it holds. Pods being deleted are not among them: they are
 * leaving already (through their own SIGTERM drain).
 *
 * @param name pod name
 * @param running phase Running with a pod IP: the gateway process is up, so it may hold sessions
 *     whether or not it is Ready (a Riva health check that flaps turns a pod not-Ready, and its
 *     sessions go on)
 * @param ready the pod's Ready condition
 * @param reading what its admin port said ({@link ScrapeResult.Failed} for a pod that does not run)
 */
public record PodState(String name, boolean running, boolean ready, ScrapeResult reading) {

    public PodState {
        Objects.requireNonNull(name);
        Objects.requireNonNull(reading);
    }

    /** The sessions the pod reported, or -1 when it could not be read. */
    public long sessions() {
        return reading instanceof ScrapeResult.Sessions s ? s.sessions() : -1;
    }

    /** Whether the pod was read. */
    public boolean readable() {
        return reading instanceof ScrapeResult.Sessions;
    }

    /** Whether the gateway said it drains. */
    public boolean reportsDraining() {
        return reading instanceof ScrapeResult.Sessions s && s.draining();
    }
}

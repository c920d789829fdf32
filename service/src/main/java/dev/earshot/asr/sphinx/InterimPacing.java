package dev.earshot.asr.sphinx;

/**
 * Decides which frames' hypotheses become interim results. The search reports after every 10 ms
 * frame; an utterance's first words go out at the first frame that has any, so a caller sees
 * them as soon as the recognizer has them, and after that one interim goes out every
 * {@code everyFrames} frames, so the cost of interims and the messages a client gets stay what
 * they were when the search reported only every {@code everyFrames} frames.
 */
final class InterimPacing {
    private final int everyFrames;
    private int framesSinceInterim;
    private boolean interimSent;

    /** @param everyFrames frames between interims once an utterance has had its first */
    InterimPacing(int everyFrames) {
        if (everyFrames < 1) {
            throw new IllegalArgumentException("everyFrames must be at least 1, got " + everyFrames);
        }
        this.everyFrames = everyFrames;
    }

    /** One more frame was decoded: whether its hypothesis should be looked at as an interim. */
    boolean frameDecoded() {
        framesSinceInterim++;
        return !interimSent || framesSinceInterim >= everyFrames;
    }

    /** The hypothesis looked at had words and went out as an interim. */
    void interimSent() {
        interimSent = true;
        framesSinceInterim = 0;
    }

    /** The utterance ended: the next one's first words go out as soon as they are found. */
    void utteranceEnded() {
        interimSent = false;
        framesSinceInterim = 0;
    }
}

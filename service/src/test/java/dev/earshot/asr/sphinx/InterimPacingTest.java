package dev.earshot.asr.sphinx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which frames' hypotheses become interims: an utterance's first words at once, then a steady cadence. */
class InterimPacingTest {

    /** The frames (1-based) whose hypotheses are looked at, when words come at {@code firstWords}. */
    static List<Integer> looked(InterimPacing pacing, int frames, int firstWords) {
        List<Integer> looked = new ArrayList<>();
        for (int frame = 1; frame <= frames; frame++) {
            if (pacing.frameDecoded()) {
                looked.add(frame);
                if (frame >= firstWords) {
                    pacing.interimSent();
                }
            }
        }
        return looked;
    }

    @Test
    void everyFrameIsLookedAtUntilTheFirstWordsThenEveryNthFrame() {
        InterimPacing pacing = new InterimPacing(20);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 27, 47), looked(pacing, 50, 7));
    }

    @Test
    void theNextUtterancesFirstWordsAlsoGoOutAtOnce() {
        InterimPacing pacing = new InterimPacing(20);
        looked(pacing, 30, 1);
        pacing.utteranceEnded();
        assertEquals(List.of(1, 2, 3, 23), looked(pacing, 30, 3));
    }

    @Test
    void aLookedAtHypothesisWithoutWordsIsLookedAtAgainNextFrame() {
        InterimPacing pacing = new InterimPacing(20);
        looked(pacing, 1, 1); // first words sent at frame 1
        for (int frame = 1; frame < 20; frame++) {
            pacing.frameDecoded();
        }
        assertTrue(pacing.frameDecoded(), "frame 20 after the interim is looked at");
        assertTrue(pacing.frameDecoded(), "no interim went out: the next frame is looked at too");
    }

    @Test
    void aCadenceBelowOneFrameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new InterimPacing(0));
    }
}

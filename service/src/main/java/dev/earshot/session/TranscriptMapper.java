package dev.earshot.session;

import java.util.ArrayList;
import java.util.List;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;

/**
 * Riva's stream semantics, turned into the transcript events a client can trust: empty
 * results are skipped; an interim replaces the previous one and a final appends; an interim with
 * stability 1.0 is Riva's end-of-utterance preview, passed on but not taken as the new partial;
 * and when the stream ends on an interim with no final after it, that interim is promoted to
 * final, so no words are lost.
 */
final class TranscriptMapper {

    /**
     * A result to send, and whether to send it as final.
     *
     * @param result  the Riva result
     * @param isFinal final as sent (a promoted interim is final)
     */
    record Emit(StreamingRecognitionResult result, boolean isFinal) {}

    private StreamingRecognitionResult pendingInterim;

    /** What to send for one Riva response (possibly nothing). */
    List<Emit> accept(StreamingRecognizeResponse response) {
        List<Emit> out = new ArrayList<>(response.getResultsCount());
        for (StreamingRecognitionResult r : response.getResultsList()) {
            if (r.getAlternativesCount() == 0
                    || r.getAlternatives(0).getTranscript().isBlank()) {
                continue;
            }
            if (r.getIsFinal()) {
                pendingInterim = null;
            } else if (r.getStability() < 1.0f) {
                pendingInterim = r;
            }
            out.add(new Emit(r, r.getIsFinal()));
        }
        return out;
    }

    /** The stream ended: the interim that never got its final, as a final. */
    List<Emit> finish() {
        if (pendingInterim == null) {
            return List.of();
        }
        Emit promoted = new Emit(pendingInterim, true);
        pendingInterim = null;
        return List.of(promoted);
    }

    /** Forgets any pending interim (the stream was replaced). */
    void reset() {
        pendingInterim = null;
    }
}

package dev.earshot.asr.sphinx;

import dev.earshot.asr.engine.ResultSink;
import dev.earshot.asr.engine.StreamOptions;
import dev.earshot.asr.engine.Transcript;
import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.frontend.util.StreamDataSource;
import edu.cmu.sphinx.recognizer.Recognizer;
import edu.cmu.sphinx.result.Lattice;
import edu.cmu.sphinx.result.LatticeOptimizer;
import edu.cmu.sphinx.result.Nbest;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.result.WordResult;
import edu.cmu.sphinx.util.LogMath;
import edu.cmu.sphinx.util.TimeFrame;
import edu.cmu.sphinx.util.props.ConfigurationManager;
import edu.cmu.sphinx.util.props.PropertySheet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One Sphinx4 recognizer over the {@link SharedModel}: its own front end, scorer and search (a
 * few MB), reused stream after stream. Decodes one stream at a time on the calling thread.
 * Final results come at each end of utterance (a pause of {@code endSilence} ms, or the end of
 * the audio), interims while speech is decoded: an utterance's first words as soon as the search
 * has any, then every {@code interimFrames} frames ({@link InterimPacing}).
 */
final class SphinxDecoder {
    private final Recognizer recognizer;
    private final StreamDataSource source;
    private final StreamCmn cmn;
    private final LeanSearchManager search;
    private final int interimFrames;
    private final InterimRelay relay = new InterimRelay();

    SphinxDecoder(SharedModel model) {
        ConfigurationManager cm = model.decoderConfiguration();
        recognizer = cm.lookup("recognizer");
        source = cm.lookup("dataSource");
        cmn = cm.lookup("streamCmn");
        search = cm.lookup("wordPruningLookaheadSearchManager");
        interimFrames = Integer.parseInt(cm.getGlobalProperty("interimFrames"));
        recognizer.addResultListener(relay);
        recognizer.allocate();
    }

    /** After the warm-up: every later stream starts from the normalization learned on it. */
    void keepWarmState() {
        cmn.capturePrior();
    }

    /**
     * Decodes {@code pcm} (16 kHz s16le) until it ends, delivering results to {@code sink}.
     * Returns when the stream has ended; does not call {@link ResultSink#completed()}.
     */
    void decode(PcmPipe pcm, StreamOptions options, ResultSink sink) {
        HypothesisTracker tracker = new HypothesisTracker();
        InterimPacing pacing = new InterimPacing(interimFrames);
        relay.target = options.interimResults()
                ? result -> {
                    if (!pacing.frameDecoded() || pcm.cancelled()) {
                        return;
                    }
                    String text = result.getBestResultNoFiller().trim();
                    if (!text.isEmpty()) {
                        sink.result(tracker.interim(text, seconds(pcm.bytesRead())));
                        pacing.interimSent();
                    }
                }
                : null;
        search.keepLattice(options.maxAlternatives() > 1);
        try {
            source.setInputStream(pcm, TimeFrame.INFINITE);
            Result result;
            while ((result = recognizer.recognize()) != null) {
                pacing.utteranceEnded();
                String text = result.getBestResultNoFiller().trim();
                if (text.isEmpty() || pcm.cancelled()) {
                    tracker.reset();
                    continue;
                }
                sink.result(finalResult(result, text, options, seconds(pcm.bytesRead())));
                tracker.reset();
            }
        } finally {
            relay.target = null;
        }
    }

    private static Transcript finalResult(Result result, String text, StreamOptions options, double seconds) {
        List<Transcript.Word> words = new ArrayList<>();
        float confidenceSum = 0;
        List<WordResult> timed = result.getTimedBestResult(false);
        for (WordResult w : timed) {
            float confidence = toProbability(w.getConfidence());
            confidenceSum += confidence;
            TimeFrame frame = w.getTimeFrame();
            words.add(new Transcript.Word(
                    w.getWord().getSpelling(), (int) frame.getStart(), (int) frame.getEnd(), confidence));
        }
        float confidence = timed.isEmpty() ? 0f : confidenceSum / timed.size();
        List<Transcript.Alternative> alternatives = new ArrayList<>();
        alternatives.add(new Transcript.Alternative(text, confidence, options.wordTimeOffsets() ? words : List.of()));
        if (options.maxAlternatives() > 1) {
            for (String other : nbest(result, options.maxAlternatives())) {
                if (alternatives.size() >= options.maxAlternatives()) {
                    break;
                }
                if (alternatives.stream().noneMatch(a -> a.text().equals(other))) {
                    alternatives.add(new Transcript.Alternative(other, 0f, List.of()));
                }
            }
        }
        return new Transcript(true, 0f, alternatives, seconds);
    }

    private static Collection<String> nbest(Result result, int n) {
        try {
            Lattice lattice = new Lattice(result);
            new LatticeOptimizer(lattice).optimize();
            List<String> texts = new ArrayList<>();
            for (String hypothesis : new Nbest(lattice).getNbest(n + 1)) {
                String clean = hypothesis
                        .replaceAll("<s>|</s>|<sil>|\\[[A-Z]+]", " ")
                        .trim()
                        .replaceAll("\\s+", " ");
                if (!clean.isEmpty()) {
                    texts.add(clean);
                }
            }
            return texts;
        } catch (RuntimeException e) {
            return List.of(); // no lattice for this result: the best hypothesis stands alone
        }
    }

    private static float toProbability(double logConfidence) {
        double p = LogMath.getLogMath().logToLinear((float) logConfidence);
        return (float) Math.max(0, Math.min(1, p));
    }

    private static double seconds(long bytes) {
        return bytes / 32000.0;
    }

    /** Forwards the recognizer's non-final results to the stream being decoded now. */
    private static final class InterimRelay implements ResultListener {
        private volatile java.util.function.Consumer<Result> target;

        @Override
        public void newResult(Result result) {
            var t = target;
            if (t != null && !result.isFinal()) {
                t.accept(result);
            }
        }

        @Override
        public void newProperties(PropertySheet ps) {}
    }
}

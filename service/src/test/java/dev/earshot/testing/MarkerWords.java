package dev.earshot.testing;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionAlternative;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;
import nvidia.riva.asr.RivaAsr.WordInfo;

/**
 * What {@link MarkerRiva} hears in one stream: 16 kHz 16-bit samples, where a run of equal
 * non-zero values N is the word {@code mN} from the run's first sample to its last. A word is
 * complete when a different value follows; once {@code finalEvery} words are complete they are
 * sent as a final, with word times in milliseconds of the stream and {@code audio_processed}. After
 * each request an interim names the words not finalized yet, the incomplete one included, as
 * Riva's interims do. How the audio was cut into requests does not matter.
 */
final class MarkerWords {
    private static final int BYTES_PER_MS = 32;

    private record Word(int marker, long startByte, long endByte) {}

    private final int finalEvery;
    private final boolean interims;
    private final List<Word> complete = new ArrayList<>();
    private long bytes;
    private int runValue;
    private long runStart;

    MarkerWords(int finalEvery, boolean interims) {
        this.finalEvery = finalEvery;
        this.interims = interims;
    }

    /** Takes one request's audio and adds what Riva would answer to {@code answers}. */
    void hear(ByteString audio, List<StreamingRecognizeResponse> answers) {
        for (int i = 0; i + 1 < audio.size(); i += 2) {
            int value = (audio.byteAt(i) & 0xff) | (audio.byteAt(i + 1) & 0xff) << 8;
            if (value != runValue) {
                closeRun();
                runValue = value;
                runStart = bytes;
            }
            bytes += 2;
        }
        if (complete.size() >= finalEvery) {
            answers.add(response(result(complete, true)));
            complete.clear();
        }
        if (interims && (!complete.isEmpty() || runValue != 0)) {
            List<Word> pending = new ArrayList<>(complete);
            if (runValue != 0) {
                pending.add(new Word(runValue, runStart, bytes));
            }
            answers.add(response(result(pending, false)));
        }
    }

    /** The end of audio: every word not finalized yet, as a final. */
    void finish(List<StreamingRecognizeResponse> answers) {
        closeRun();
        runValue = 0;
        if (!complete.isEmpty()) {
            answers.add(response(result(complete, true)));
            complete.clear();
        }
    }

    private void closeRun() {
        if (runValue != 0) {
            complete.add(new Word(runValue, runStart, bytes));
        }
    }

    private StreamingRecognitionResult result(List<Word> words, boolean isFinal) {
        SpeechRecognitionAlternative.Builder alternative =
                SpeechRecognitionAlternative.newBuilder().setConfidence(isFinal ? 1f : 0f);
        List<String> text = new ArrayList<>(words.size());
        for (Word w : words) {
            text.add("m" + w.marker());
            if (isFinal) {
                alternative.addWords(WordInfo.newBuilder()
                        .setWord("m" + w.marker())
                        .setStartTime((int) (w.startByte() / BYTES_PER_MS))
                        .setEndTime((int) (w.endByte() / BYTES_PER_MS))
                        .setConfidence(1f));
            }
        }
        alternative.setTranscript(String.join(" ", text));
        return StreamingRecognitionResult.newBuilder()
                .addAlternatives(alternative)
                .setIsFinal(isFinal)
                .setStability(isFinal ? 0f : 0.5f)
                .setAudioProcessed(bytes / (BYTES_PER_MS * 1000f))
                .build();
    }

    private static StreamingRecognizeResponse response(StreamingRecognitionResult result) {
        return StreamingRecognizeResponse.newBuilder().addResults(result).build();
    }
}

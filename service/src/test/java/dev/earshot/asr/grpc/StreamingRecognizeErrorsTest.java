package dev.earshot.asr.grpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.testing.EmbeddedRecognizer;
import dev.earshot.testing.Telephone;
import dev.earshot.testing.TestCorpus;
import dev.earshot.testing.WordErrorRate;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import nvidia.riva.RivaAudio.AudioEncoding;
import nvidia.riva.asr.RivaAsr.RecognitionConfig;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Riva's audio and request rules on the embedded server: the encodings it accepts, and the
 * status and message for each kind of bad request, over real gRPC.
 */
class StreamingRecognizeErrorsTest {
    static ManagedChannel channel;
    static TestCorpus corpus = TestCorpus.locate();

    @BeforeAll
    static void start() {
        channel = RivaCalls.channel(EmbeddedRecognizer.get().port());
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
    }

    static double wer(String file, String heard) throws Exception {
        WordErrorRate wer = new WordErrorRate();
        wer.add(corpus.clip(file).transcript(), heard);
        return wer.rate();
    }

    @Test
    void wavHeaderWithEncodingUnsetIsParsedAndStripped() throws Exception {
        // what NVIDIA's transcribe_file.py sends: no encoding, no rate, the file from byte 0
        RecognitionConfig config =
                RecognitionConfig.newBuilder().setLanguageCode("en-US").build();
        RivaCalls.Outcome outcome = RivaCalls.stream(
                channel, RivaCalls.requests(RivaCalls.config(config, false), corpus.wav("a_utt01.wav"), 3200));
        assertEquals(
                Status.Code.OK, outcome.status().getCode(), outcome.status().toString());
        assertEquals(0.0, wer("a_utt01.wav", outcome.finalText()), outcome.finalText());
    }

    @Test
    void mulawAt8kHzIsDecodedAndResampled() throws Exception {
        // the en-US model is wideband: telephone-band audio costs accuracy (see README), so the
        // clip is one that survives band-limiting; the point here is the decoding path
        byte[] ulaw = Telephone.mulaw8k(Telephone.samples(corpus.pcm("a_utt09.wav")));
        RecognitionConfig config = RecognitionConfig.newBuilder()
                .setEncoding(AudioEncoding.MULAW)
                .setSampleRateHertz(8000)
                .setLanguageCode("en-US")
                .build();
        RivaCalls.Outcome outcome =
                RivaCalls.stream(channel, RivaCalls.requests(RivaCalls.config(config, false), ulaw, 800));
        assertEquals(
                Status.Code.OK, outcome.status().getCode(), outcome.status().toString());
        // the en-US model is wideband and loses much on 8 kHz audio (this clip has come back as
        // "we need to buy a good spread and fresh tomatoes" and as "... a good read and write him
        // a pulse"), so only the clear start is asserted here; the decoding itself is checked
        // sample by sample in AudioDecoderTest
        assertTrue(outcome.finalText().startsWith("we need to buy"), "heard: " + outcome.finalText());
    }

    @Test
    void firstRequestWithoutConfigIsInvalidArgument() throws Exception {
        List<StreamingRecognizeRequest> requests = new ArrayList<>();
        requests.add(RivaCalls.audio(corpus.pcm("a_utt01.wav"), 0, 3200)); // audio first
        RivaCalls.Outcome outcome = RivaCalls.stream(channel, requests);
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
        assertTrue(
                outcome.status().getDescription().contains("streaming_config"),
                outcome.status().toString());
    }

    @Test
    void secondConfigIsInvalidArgument() throws Exception {
        StreamingRecognizeRequest config = RivaCalls.config(RivaCalls.pcm16k().build(), false);
        RivaCalls.Outcome outcome = RivaCalls.stream(channel, List.of(config, config));
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
        assertTrue(
                outcome.status().getDescription().contains("only be sent in the first"),
                outcome.status().toString());
    }

    @Test
    void unsupportedEncodingIsInvalidArgumentNamingIt() throws Exception {
        RecognitionConfig config =
                RivaCalls.pcm16k().setEncoding(AudioEncoding.FLAC).build();
        RivaCalls.Outcome outcome = RivaCalls.stream(channel, List.of(RivaCalls.config(config, false)));
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
        assertTrue(
                outcome.status().getDescription().contains("FLAC"),
                outcome.status().toString());
    }

    @Test
    void sampleRateOutOfRangeIsInvalidArgument() throws Exception {
        RecognitionConfig config = RivaCalls.pcm16k().setSampleRateHertz(4000).build();
        RivaCalls.Outcome outcome = RivaCalls.stream(channel, List.of(RivaCalls.config(config, false)));
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
        assertTrue(
                outcome.status().getDescription().contains("sample_rate_hertz"),
                outcome.status().toString());
    }

    @Test
    void unsetEncodingWithoutWavHeaderIsInvalidArgument() throws Exception {
        RecognitionConfig config =
                RecognitionConfig.newBuilder().setLanguageCode("en-US").build();
        RivaCalls.Outcome outcome = RivaCalls.stream(
                channel, RivaCalls.requests(RivaCalls.config(config, false), corpus.pcm("a_utt01.wav"), 3200));
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
        assertTrue(
                outcome.status().getDescription().contains("WAV header"),
                outcome.status().toString());
    }

    @Test
    void headerContradictingTheConfigIsInvalidArgument() throws Exception {
        RecognitionConfig config = RivaCalls.pcm16k().setSampleRateHertz(8000).build();
        RivaCalls.Outcome outcome = RivaCalls.stream(
                channel, RivaCalls.requests(RivaCalls.config(config, false), corpus.wav("a_utt01.wav"), 3200));
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
        assertTrue(
                outcome.status().getDescription().contains("doesn't match with header format"),
                outcome.status().toString());
    }

    @Test
    void unknownLanguageIsInvalidArgumentUnavailableModel() throws Exception {
        RecognitionConfig config = RivaCalls.pcm16k().setLanguageCode("de-DE").build();
        RivaCalls.Outcome outcome = RivaCalls.stream(channel, List.of(RivaCalls.config(config, false)));
        assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode());
        assertTrue(
                outcome.status().getDescription().startsWith("Unavailable model requested"),
                outcome.status().toString());
        assertTrue(
                outcome.status().getDescription().contains("de-DE"),
                outcome.status().toString());
    }

    @Test
    void streamBeyondThePoolIsRefusedAfterTheQueueTimeoutAndACancelledStreamFreesItsDecoder() throws Exception {
        StreamingRecognizeRequest config = RivaCalls.config(RivaCalls.pcm16k().build(), true);
        byte[] pcm = corpus.pcm("a_utt03.wav");
        List<RivaCalls.Call> holders = new ArrayList<>();
        for (int i = 0; i < EmbeddedRecognizer.POOL_SIZE; i++) {
            RivaCalls.Call call = new RivaCalls.Call(channel);
            call.requests.onNext(config);
            call.requests.onNext(RivaCalls.audio(pcm, 0, 3200));
            holders.add(call);
        }
        // wait until both decoders are taken (the holders' first results arrive or time passes)
        awaitActive(EmbeddedRecognizer.POOL_SIZE);

        RivaCalls.Outcome refused = RivaCalls.stream(channel, List.of(config));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.status().getCode());
        assertTrue(
                refused.status().getDescription().contains("busy (waited PT2S)"),
                refused.status().toString());

        // one holder cancels mid-stream: its decoder comes back and a new stream works
        holders.getFirst().requests.onError(Status.CANCELLED.asRuntimeException());
        awaitActive(EmbeddedRecognizer.POOL_SIZE - 1);
        RivaCalls.Outcome next = RivaCalls.stream(channel, RivaCalls.requests(config, pcm, 3200));
        assertEquals(Status.Code.OK, next.status().getCode(), next.status().toString());
        assertTrue(wer("a_utt03.wav", next.finalText()) < 0.5, next.finalText());

        holders.get(1).requests.onCompleted();
        assertEquals(Status.Code.OK, holders.get(1).await().status().getCode());
        awaitActive(0);
    }

    static void awaitActive(int expected) {
        await(expected + " active decoder streams")
                .atMost(Duration.ofSeconds(20))
                .until(() -> EmbeddedRecognizer.get().engine().activeStreams() == expected);
    }
}

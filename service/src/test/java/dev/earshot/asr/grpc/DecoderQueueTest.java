package dev.earshot.asr.grpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.asr.AsrConfig;
import dev.earshot.asr.AsrServer;
import dev.earshot.asr.sphinx.SphinxEngine;
import dev.earshot.testing.TestCorpus;
import dev.earshot.testing.WordErrorRate;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeRequest;
import org.junit.jupiter.api.Test;

/**
 * A stream that finds every decoder busy waits for one ({@code asr.queue-timeout}) instead of
 * being refused at once, and is refused with {@code RESOURCE_EXHAUSTED} only when none came free
 * in time. Real engine, real gRPC; the decoders are held by open calls, so which stream waits is
 * decided by the test, not by timing.
 */
class DecoderQueueTest {
    static final TestCorpus corpus = TestCorpus.locate();
    static final StreamingRecognizeRequest config =
            RivaCalls.config(RivaCalls.pcm16k().build(), false);

    static AsrServer server(int decoders, Duration queueTimeout) {
        return AsrServer.start(new AsrConfig(
                0, AsrConfig.SPHINX4, decoders, 64 * 1024 * 1024, "", queueTimeout, AsrConfig.DEFAULT_HOST));
    }

    /** A call that has taken a decoder: its config and first chunk are sent, its stream is open. */
    static RivaCalls.Call holdADecoder(ManagedChannel channel, SphinxEngine engine, byte[] pcm) {
        int before = engine.activeStreams();
        RivaCalls.Call call = new RivaCalls.Call(channel);
        call.requests.onNext(config);
        call.requests.onNext(RivaCalls.audio(pcm, 0, 3200));
        await("a stream holds a decoder").until(() -> engine.activeStreams() == before + 1);
        return call;
    }

    /** Sends the rest of {@code pcm} and half-closes. */
    static void finish(RivaCalls.Call call, byte[] pcm) {
        for (int from = 3200; from < pcm.length; from += 3200) {
            call.requests.onNext(RivaCalls.audio(pcm, from, Math.min(pcm.length, from + 3200)));
        }
        call.requests.onCompleted();
    }

    /** Opens a call and sends all of {@code pcm} at once; the call may have to wait for a decoder. */
    static RivaCalls.Call send(ManagedChannel channel, byte[] pcm) {
        RivaCalls.Call call = new RivaCalls.Call(channel);
        for (StreamingRecognizeRequest r : RivaCalls.requests(config, pcm, 3200)) {
            call.requests.onNext(r);
        }
        call.requests.onCompleted();
        return call;
    }

    static double wer(String file, String heard) throws Exception {
        WordErrorRate wer = new WordErrorRate();
        wer.add(corpus.clip(file).transcript(), heard);
        return wer.rate();
    }

    @Test
    void aBurstOfMoreStreamsThanDecodersIsServedAsTheDecodersFreeUp() throws Exception {
        try (AsrServer server = server(2, Duration.ofMinutes(2))) {
            ManagedChannel channel = RivaCalls.channel(server.port());
            SphinxEngine engine = (SphinxEngine) server.engine();
            byte[] held = corpus.pcm("a_utt01.wav");
            List<RivaCalls.Call> holders =
                    List.of(holdADecoder(channel, engine, held), holdADecoder(channel, engine, held));

            List<String> files = List.of("a_utt01.wav", "a_utt02.wav", "a_utt03.wav");
            List<RivaCalls.Call> burst = new ArrayList<>();
            for (String file : files) {
                burst.add(send(channel, corpus.pcm(file)));
            }
            await("the burst waits for decoders").until(() -> engine.waitingStreams() == files.size());
            burst.forEach(
                    call -> assertFalse(call.status.isDone(), "a waiting stream is neither answered nor refused"));

            for (RivaCalls.Call holder : holders) {
                finish(holder, held);
            }
            for (RivaCalls.Call holder : holders) {
                RivaCalls.Outcome outcome = holder.await();
                assertEquals(
                        Status.Code.OK,
                        outcome.status().getCode(),
                        outcome.status().toString());
                assertEquals(0.0, wer("a_utt01.wav", outcome.finalText()), outcome.finalText());
            }
            for (int i = 0; i < files.size(); i++) {
                RivaCalls.Outcome served = burst.get(i).await();
                assertEquals(Status.Code.OK, served.status().getCode(), files.get(i) + ": " + served.status());
                assertTrue(
                        wer(files.get(i), served.finalText()) < 0.5, files.get(i) + " heard as: " + served.finalText());
            }
            assertEquals(0, engine.waitingStreams());
            channel.shutdownNow();
        }
    }

    @Test
    void aStreamStillWaitingWhenTheQueueTimeoutEndsIsRefusedWithResourceExhausted() throws Exception {
        try (AsrServer server = server(1, Duration.ofMillis(300))) {
            ManagedChannel channel = RivaCalls.channel(server.port());
            SphinxEngine engine = (SphinxEngine) server.engine();
            byte[] pcm = corpus.pcm("a_utt01.wav");
            RivaCalls.Call holder = holdADecoder(channel, engine, pcm);

            RivaCalls.Outcome refused = send(channel, pcm).await();
            assertEquals(
                    Status.Code.RESOURCE_EXHAUSTED,
                    refused.status().getCode(),
                    refused.status().toString());
            assertEquals(
                    "all 1 recognizer decoders are busy (waited PT0.3S); try again later or raise asr.pool-size",
                    refused.status().getDescription());
            assertEquals(0, engine.waitingStreams());

            // the refused stream took nothing: the holder finishes, and the decoder serves the next stream
            finish(holder, pcm);
            assertEquals(Status.Code.OK, holder.await().status().getCode());
            RivaCalls.Outcome next = send(channel, pcm).await();
            assertEquals(Status.Code.OK, next.status().getCode(), next.status().toString());
            assertEquals(0.0, wer("a_utt01.wav", next.finalText()), next.finalText());
            channel.shutdownNow();
        }
    }
}

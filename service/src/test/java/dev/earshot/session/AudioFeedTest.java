package dev.earshot.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.earshot.protocol.SessionConfig;
import dev.earshot.riva.RivaClient;
import dev.earshot.riva.RivaRequests;
import dev.earshot.riva.RivaStream;
import dev.earshot.testing.HeardTranscripts;
import dev.earshot.testing.MarkerRiva;
import dev.earshot.testing.TestConfigs;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audio a session keeps for a replay: what a final covered is let go, even inside a chunk;
 * processed audio beyond the capacity is let go, unprocessed audio never; while no stream takes
 * audio a full feed holds the socket's thread back. The streams are real, to {@link MarkerRiva},
 * so what a new stream is given is checked by what it hears.
 */
class AudioFeedTest {
    private static final int CHUNK = MarkerRiva.CHUNK_BYTES;

    private MarkerRiva backend;
    private RivaClient client;

    @BeforeEach
    void start() {
        backend = MarkerRiva.start(100);
        client = new RivaClient(TestConfigs.riva("127.0.0.1:" + backend.port()), null);
    }

    @AfterEach
    void stop() {
        client.close();
        backend.close();
    }

    private static ByteString chunk(int marker) {
        return ByteString.copyFrom(MarkerRiva.chunk(marker));
    }

    private RivaStream open(AudioFeed feed, HeardTranscripts heard) {
        return client.stream(RivaRequests.streaming(SessionConfig.defaults()), 1 << 20, new RivaStream.Listener() {
            @Override
            public void onOpen(RivaStream stream) {
                feed.attach(stream);
            }

            @Override
            public void onResponse(nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse response) {
                heard.onResponse(response);
            }

            @Override
            public void onClose(Status status) {
                heard.onClose(status);
            }
        });
    }

    /** Ends the stream and returns the last thing it heard (its final). */
    private static String lastHeard(RivaStream stream, HeardTranscripts heard) throws Exception {
        stream.halfClose();
        assertEquals(Status.Code.OK, heard.closed().getCode());
        return heard.heard().getLast();
    }

    @Test
    void aFinalThatEndsInsideAChunkLetsGoOfItsFirstPart() throws Exception {
        AudioFeed feed = new AudioFeed(0, 2, 100L * CHUNK, CHUNK);
        feed.add(chunk(1));
        feed.add(chunk(2));
        feed.release(CHUNK + CHUNK / 2);

        HeardTranscripts heard = new HeardTranscripts();
        AudioFeed.Replay replay = feed.reopen(() -> open(feed, heard));
        assertEquals(CHUNK + CHUNK / 2, replay.startByte());
        assertEquals(CHUNK / 2, replay.bytes());
        assertEquals("m2", lastHeard(replay.stream(), heard));
        assertFalse(
                heard.heard().stream().anyMatch(t -> t.contains("m1")),
                heard.heard().toString());
    }

    @Test
    void audioAcrossBlocksIsReplayedInOrderFromWhereTheLastFinalEnded() throws Exception {
        AudioFeed feed = new AudioFeed(0, 2, 100L * CHUNK, CHUNK);
        for (int i = 1; i <= 4; i++) {
            feed.add(chunk(i)); // 8 KB blocks: chunks 3 and 4 each span two
        }
        feed.release(3L * CHUNK); // the first block goes back to the pool
        for (int i = 5; i <= 9; i++) {
            feed.add(chunk(i));
        }
        HeardTranscripts heard = new HeardTranscripts();
        AudioFeed.Replay replay = feed.reopen(() -> open(feed, heard));
        assertEquals(3L * CHUNK, replay.startByte());
        assertEquals(6L * CHUNK, replay.bytes());
        assertEquals("m4 m5 m6 m7 m8 m9", lastHeard(replay.stream(), heard));
    }

    @Test
    void processedAudioBeyondTheCapacityIsLetGoAndUnprocessedAudioIsNot() throws Exception {
        AudioFeed feed = new AudioFeed(0, 2, 2L * CHUNK, CHUNK);
        HeardTranscripts first = new HeardTranscripts();
        RivaStream live = feed.reopen(() -> open(feed, first)).stream();
        for (int i = 1; i <= 5; i++) {
            assertSame(live, feed.add(chunk(i)), "a live stream takes audio however much is kept");
        }
        feed.processed(3L * CHUNK); // Riva heard three chunks and finalized none of them
        feed.add(chunk(6));

        HeardTranscripts second = new HeardTranscripts();
        AudioFeed.Replay replay = feed.reopen(() -> open(feed, second));
        assertEquals(CHUNK, replay.startByte(), "only the oldest processed chunk was let go");
        assertEquals(5L * CHUNK, replay.bytes());
        assertEquals(CHUNK, replay.dropped());
        assertEquals("m2 m3 m4 m5 m6", lastHeard(replay.stream(), second));
        live.cancel("test over");
    }

    @Test
    void whileNoStreamTakesAudioAFullFeedMakesTheNextAddWaitForTheNextStream() throws Exception {
        AudioFeed feed = new AudioFeed(0, 2, 2L * CHUNK, CHUNK);
        feed.add(chunk(1));
        feed.add(chunk(2));
        CompletableFuture<RivaStream> third = new CompletableFuture<>();
        Thread adder = Thread.ofVirtual().start(() -> {
            try {
                third.complete(feed.add(chunk(3)));
            } catch (InterruptedException e) {
                third.completeExceptionally(e);
            }
        });
        while (adder.getState() != Thread.State.WAITING) {
            assertFalse(third.isDone(), "the third chunk was taken with nothing to take it");
            Thread.onSpinWait();
        }

        HeardTranscripts heard = new HeardTranscripts();
        AudioFeed.Replay replay = feed.reopen(() -> open(feed, heard));
        assertEquals(2L * CHUNK, replay.bytes(), "the waiting chunk is not in the replay...");
        RivaStream next = third.get();
        assertSame(replay.stream(), next, "...it goes to the new stream");
        assertTrue(next.send(chunk(3), 0));
        assertEquals("m1 m2 m3", lastHeard(next, heard));
    }

    @Test
    void closingWakesAWaitingAddWithNothing() throws Exception {
        AudioFeed feed = new AudioFeed(0, 2, CHUNK, CHUNK);
        feed.add(chunk(1));
        CompletableFuture<RivaStream> second = new CompletableFuture<>();
        Thread adder = Thread.ofVirtual().start(() -> {
            try {
                second.complete(feed.add(chunk(2)));
            } catch (InterruptedException e) {
                second.completeExceptionally(e);
            }
        });
        while (adder.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertNull(feed.close());
        assertNull(second.get(), "the session ended: nothing to send to");
        assertNull(feed.reopen(() -> {
            throw new AssertionError("a closed feed opens nothing");
        }));
    }

    @Test
    void aFeedThatCannotReplayKeepsNothing() throws Exception {
        AudioFeed feed = new AudioFeed(0, 0, 100L * CHUNK, CHUNK);
        feed.add(chunk(1));
        HeardTranscripts heard = new HeardTranscripts();
        AudioFeed.Replay replay = feed.reopen(() -> open(feed, heard));
        assertEquals(CHUNK, replay.startByte());
        assertEquals(0, replay.bytes());
        replay.stream().cancel("test over");
    }
}

package dev.earshot.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The steps every resume test takes with a protocol v1 client in front of {@link MarkerRiva}:
 * take events in until a final, go on from where the server says it is after
 * {@code transcription_resumed}, and check that every event came once, in order
 * ({@link MarkerTranscripts#assertEveryChunkOnce} checks the chunks).
 */
public final class ResumeSteps {
    private ResumeSteps() {}

    /** Reads events into {@code seen} up to and including the first final that {@code last} accepts; returns it. */
    public static JsonNode readUntilFinal(WsTestClient ws, List<JsonNode> seen, Predicate<JsonNode> last)
            throws InterruptedException {
        JsonNode e;
        do {
            e = ws.next();
            seen.add(e);
        } while (!e.path("is_final").asBoolean() || !last.test(e));
        return e;
    }

    /** Reads events into {@code seen} up to and including the first final. */
    public static JsonNode readUntilFinal(WsTestClient ws, List<JsonNode> seen) throws InterruptedException {
        return readUntilFinal(ws, seen, e -> true);
    }

    /** What a resumed connection got: {@code transcription_resumed}, then everything up to its close. */
    public record Resumed(JsonNode event, List<JsonNode> after) {
        /** Whole chunks the server had when the connection dropped. */
        public int chunksReceived() {
            return (int) (event.path("audio_received_bytes").asLong() / MarkerRiva.CHUNK_BYTES);
        }
    }

    /**
     * On a resumed connection: expects {@code transcription_resumed}, sends chunks from the one after
     * what the server has up to {@code lastChunk}, stops, and reads to a normal close.
     */
    public static Resumed finish(WsTestClient ws, int lastChunk) throws Exception {
        JsonNode resumed = ws.next();
        assertEquals("transcription_resumed", resumed.path("event").asText(), resumed.toString());
        assertEquals(0, resumed.path("audio_received_bytes").asLong() % MarkerRiva.CHUNK_BYTES, resumed.toString());
        Resumed result = new Resumed(resumed, new ArrayList<>());
        for (int i = result.chunksReceived() + 1; i <= lastChunk; i++) {
            ws.sendBinary(MarkerRiva.chunk(i));
        }
        ws.stop();
        result.after().addAll(ws.drainUntilClosed());
        assertEquals(1000, ws.closeCode(), result.after().toString());
        return result;
    }

    /** {@code before} then {@code after}: what the client got over both connections. */
    public static List<JsonNode> both(List<JsonNode> before, List<JsonNode> after) {
        List<JsonNode> all = new ArrayList<>(before);
        all.addAll(after);
        return all;
    }

    /** Every event once and in order, by its {@code seq}: replayed ones start after the client's last. */
    public static void assertEachSeqOnceInOrder(List<JsonNode> events) {
        long previous = 0;
        for (JsonNode event : events) {
            long seq = event.path("seq").asLong();
            assertTrue(seq > previous, "seq " + seq + " after " + previous + ": " + events);
            previous = seq;
        }
    }
}

package dev.earshot.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads what a protocol v1 client received from a session in front of {@link MarkerRiva}: the
 * markers its finals name (each word {@code mN} is audio chunk N), and whether their times are
 * the chunks' own times in the session's audio.
 */
public final class MarkerTranscripts {
    private MarkerTranscripts() {}

    /** 1, 2, ... n. */
    public static List<Integer> upTo(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }

    /** The markers the final transcripts among {@code events} name, in the order they came. */
    public static List<Integer> finalMarkers(List<JsonNode> events) {
        List<Integer> markers = new ArrayList<>();
        for (JsonNode e : named(events, "transcript")) {
            if (e.path("is_final").asBoolean()) {
                for (String word : e.path("alternatives")
                        .get(0)
                        .path("transcript")
                        .asText()
                        .split(" ")) {
                    markers.add(Integer.parseInt(word.substring(1)));
                }
            }
        }
        return markers;
    }

    /** No {@code error} event, and chunks 1 to {@code chunks} each in exactly one final, in order. */
    public static void assertEveryChunkOnce(List<JsonNode> events, int chunks) {
        assertTrue(
                named(events, "error").isEmpty(), () -> named(events, "error").toString());
        assertEquals(upTo(chunks), finalMarkers(events), "every chunk in exactly one final: " + events);
    }

    /** The events called {@code event}, in order. */
    public static List<JsonNode> named(List<JsonNode> events, String event) {
        return events.stream()
                .filter(e -> e.path("event").asText().equals(event))
                .toList();
    }

    /**
     * Asserts that the finals carry word times, and that word {@code mN} spans chunk N's 100 ms
     * of the session's audio, whichever Riva stream heard it.
     *
     * @return how many words were checked
     */
    public static int assertSessionTimes(List<JsonNode> events) {
        int checked = 0;
        for (JsonNode e : named(events, "transcript")) {
            if (!e.path("is_final").asBoolean()) {
                continue;
            }
            JsonNode words = e.path("alternatives").get(0).path("words");
            assertTrue(words.size() > 0, "a final without word times: " + e);
            for (JsonNode w : words) {
                int marker = Integer.parseInt(w.path("word").asText().substring(1));
                assertEquals((marker - 1) * 100, w.path("start_time_ms").asInt(), w.toString());
                assertEquals(marker * 100, w.path("end_time_ms").asInt(), w.toString());
                checked++;
            }
        }
        return checked;
    }
}

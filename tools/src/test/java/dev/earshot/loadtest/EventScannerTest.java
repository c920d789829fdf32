package dev.earshot.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Server events are recognized by scanning their bytes where they lie in the read buffer. */
class EventScannerTest {

    /** The message placed inside a larger direct buffer, as it is in the loop's read buffer. */
    private static ByteBuffer at(String message, int offset) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocateDirect(offset + bytes.length + 16);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) '"');
        }
        b.put(offset, bytes);
        return b;
    }

    private static int event(String message) {
        ByteBuffer b = at(message, 5);
        return EventScanner.event(b, 5, 5 + message.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void eventNamesAreTold() {
        assertEquals(
                EventScanner.STARTED,
                event("{\"event\":\"transcription_started\",\"session_id\":\"s\",\"config\":{}}"));
        assertEquals(EventScanner.TRANSCRIPT, event("{\"event\":\"transcript\",\"session_id\":\"s\"}"));
        assertEquals(EventScanner.STOPPED, event("{\"event\":\"transcription_stopped\",\"audio_seconds\":3.0}"));
        assertEquals(EventScanner.ERROR, event("{\"event\":\"error\",\"code\":\"overloaded\"}"));
        assertEquals(EventScanner.GOING_AWAY, event("{\"event\":\"going_away\",\"message\":\"bye\"}"));
        assertEquals(EventScanner.OTHER, event("{\"event\":\"transcripts\"}"));
        assertEquals(EventScanner.OTHER, event("{\"type\":\"transcript\"}"));
        assertEquals(EventScanner.OTHER, event("{\"event\":\"transcri"));
        assertEquals(EventScanner.OTHER, event(""));
    }

    @Test
    void theChunkNumberOfASyntheticTranscriptIsRead() {
        String m = "{\"event\":\"transcript\",\"session_id\":\"load-1\",\"is_final\":false,\"stability\":0.5,"
                + "\"alternatives\":[{\"transcript\":\"chunk 42\",\"confidence\":0.0,\"words\":[]}],"
                + "\"channel_tag\":0,\"audio_processed_seconds\":4.2}";
        ByteBuffer b = at(m, 3);
        int end = 3 + m.length();
        assertEquals(42, EventScanner.chunk(b, 3, end));
        assertEquals(600, EventScanner.chunk(at("\"transcript\":\"chunk 600\"", 0), 0, 24));
        assertEquals(7, EventScanner.chunk(at("\"transcript\":\"chunk 7", 0), 0, 21), "digits up to the end");
        assertEquals(-1, EventScanner.chunk(at("\"transcript\":\"hello world\"", 0), 0, 26));
        assertEquals(-1, EventScanner.chunk(at("\"transcript\":\"chunk x\"", 0), 0, 22));
        assertEquals(-1, EventScanner.chunk(b, 3, 60), "not within the range");
    }

    @Test
    void anErrorCodeIsRead() {
        String m = "{\"event\":\"error\",\"session_id\":\"s\",\"code\":\"capacity_exceeded\",\"message\":\"full\"}";
        assertEquals("capacity_exceeded", EventScanner.code(at(m, 0), 0, m.length()));
        assertEquals("unknown", EventScanner.code(at("{\"event\":\"error\"}", 0), 0, 17));
    }
}

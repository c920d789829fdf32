package dev.earshot.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.testing.G711Encoder;
import org.junit.jupiter.api.Test;

class G711Test {

    @Test
    void mulawDecodesTheStandardCodewords() {
        assertEquals(0, G711.ulaw((byte) 0xFF));
        assertEquals(-32124, G711.ulaw((byte) 0x00));
        assertEquals(32124, G711.ulaw((byte) 0x80));
    }

    @Test
    void alawDecodesTheStandardCodewords() {
        assertEquals(8, G711.alaw((byte) 0xD5));
        assertEquals(-8, G711.alaw((byte) 0x55));
        assertEquals(32256, G711.alaw((byte) 0xAA));
        assertEquals(-32256, G711.alaw((byte) 0x2A));
    }

    @Test
    void encodeThenDecodeStaysWithinTheQuantizationStep() {
        for (int s = -32768; s <= 32767; s += 7) {
            short sample = (short) s;
            // the step grows with the magnitude: about 1/16 of it at the top segment
            int tolerance = Math.max(16, Math.abs(s) / 15);
            int u = G711.ulaw(G711Encoder.ulaw(sample));
            int a = G711.alaw(G711Encoder.alaw(sample));
            assertTrue(Math.abs(u - s) <= tolerance, "mu-law " + s + " -> " + u);
            assertTrue(Math.abs(a - s) <= tolerance, "A-law " + s + " -> " + a);
        }
    }
}

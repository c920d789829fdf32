package dev.earshot.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WsFramesTest {

    @Test
    void lengthsUseTheShortestForm() {
        assertEquals(2 + 125, WsFrames.frame(WsOpcodes.TEXT, new byte[125]).length);
        byte[] medium = WsFrames.frame(WsOpcodes.TEXT, new byte[126]);
        assertEquals(126, medium[1]);
        assertEquals(126, (medium[2] & 0xFF) << 8 | (medium[3] & 0xFF));
        byte[] large = WsFrames.frame(WsOpcodes.BINARY, new byte[65536]);
        assertEquals(127, large[1]);
        assertEquals(1, large[7]); // 65536 = 0x00010000 in 8 bytes
        assertEquals((byte) 0x82, large[0], "final, binary, unmasked");
    }

    @Test
    void closeReasonIsCutToFitWithoutSplittingACharacter() {
        byte[] close = WsFrames.close(1011, "é".repeat(100));
        int payload = close[1];
        assertTrue(payload <= 125, "control frames carry at most 125 bytes");
        assertEquals(1011, (close[2] & 0xFF) << 8 | (close[3] & 0xFF));
        String reason = new String(close, 4, payload - 2, StandardCharsets.UTF_8);
        assertEquals("é".repeat(61), reason);
    }
}

package dev.earshot.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WsFrameDecoderTest {
    private static final Random RANDOM = new Random(7);

    /** What a decoder produced. */
    static final class Collector implements WsFrameDecoder.Handler {
        final List<Integer> opcodes = new ArrayList<>();
        final List<Boolean> fins = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        final List<Integer> oversized = new ArrayList<>();
        long max = Long.MAX_VALUE;
        byte[] lastArray;
        int lastOffset;

        @Override
        public long maxPayload(int opcode) {
            return opcode >= WsOpcodes.CLOSE ? 125 : max;
        }

        @Override
        public void onFrame(int opcode, boolean fin, byte[] bytes, int offset, int length) {
            opcodes.add(opcode);
            fins.add(fin);
            payloads.add(java.util.Arrays.copyOfRange(bytes, offset, offset + length));
            lastArray = bytes;
            lastOffset = offset;
        }

        @Override
        public void onOversized(int opcode) {
            oversized.add(opcode);
        }
    }

    /** A client frame as a browser would send it: masked with a random key. */
    static byte[] clientFrame(int opcode, boolean fin, byte[] payload) {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            out.write(0x80 | n);
        } else if (n < 65536) {
            out.write(0x80 | 126);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) n >>> (8 * i)));
            }
        }
        out.writeBytes(mask);
        for (int i = 0; i < n; i++) {
            out.write(payload[i] ^ mask[i & 3]);
        }
        return out.toByteArray();
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 125, 126, 3200, 65535, 65536, 100_003})
    void everyLengthFormDecodesToTheOriginalPayload(int length) {
        byte[] payload = random(length);
        Collector c = new Collector();
        WsFrameDecoder decoder = new WsFrameDecoder();
        byte[] frame = clientFrame(WsOpcodes.BINARY, true, payload);
        decoder.feed(frame, 0, frame.length, c);
        assertEquals(1, c.payloads.size());
        assertArrayEquals(payload, c.payloads.get(0));
    }

    @Test
    void framesSplitAtEveryByteAndPackedTogetherDecodeTheSame() {
        byte[] a = random(300);
        byte[] b = "{\"type\":\"keepalive\"}".getBytes();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(clientFrame(WsOpcodes.BINARY, true, a));
        stream.writeBytes(clientFrame(WsOpcodes.TEXT, true, b));
        stream.writeBytes(clientFrame(WsOpcodes.PING, true, new byte[] {1, 2}));
        byte[] bytes = stream.toByteArray();
        for (int cut = 0; cut <= bytes.length; cut++) {
            for (int step : new int[] {1, 3, 8, 13}) {
                Collector c = new Collector();
                WsFrameDecoder decoder = new WsFrameDecoder();
                byte[] given = bytes.clone(); // fed arrays are the decoder's (unmasked in place)
                decoder.feed(given, 0, cut, c);
                for (int at = cut; at < given.length; at += step) {
                    decoder.feed(given, at, Math.min(step, given.length - at), c);
                }
                assertEquals(List.of(WsOpcodes.BINARY, WsOpcodes.TEXT, WsOpcodes.PING), c.opcodes);
                assertArrayEquals(a, c.payloads.get(0), "cut at " + cut + ", step " + step);
                assertArrayEquals(b, c.payloads.get(1));
                assertArrayEquals(new byte[] {1, 2}, c.payloads.get(2));
            }
        }
    }

    /** The usual case, one read holding one audio frame, costs no payload copy. */
    @Test
    void aPayloadWholeInOneReadIsUnmaskedWhereItLiesAndOneSplitGetsItsOwnArray() {
        byte[] audio = random(3200);
        byte[] frame = clientFrame(WsOpcodes.BINARY, true, audio);
        Collector inPlace = new Collector();
        new WsFrameDecoder().feed(frame, 0, frame.length, inPlace);
        assertSame(frame, inPlace.lastArray, "handed over as a view of the read");
        assertEquals(2 + 2 + 4, inPlace.lastOffset, "right after the 16-bit length and the mask");
        assertArrayEquals(audio, java.util.Arrays.copyOfRange(frame, 8, 8 + 3200));

        byte[] again = clientFrame(WsOpcodes.BINARY, true, audio);
        WsFrameDecoder decoder = new WsFrameDecoder();
        decoder.feed(again, 0, 1000, inPlace);
        decoder.feed(again, 1000, again.length - 1000, inPlace);
        assertNotSame(again, inPlace.lastArray, "a payload split across reads is gathered into its own array");
        assertEquals(3200, inPlace.lastArray.length);
        assertArrayEquals(audio, inPlace.lastArray);
    }

    @Test
    void fragmentsKeepTheirOpcodeAndFinBit() {
        Collector c = new Collector();
        WsFrameDecoder decoder = new WsFrameDecoder();
        for (byte[] f : List.of(
                clientFrame(WsOpcodes.TEXT, false, "ab".getBytes()),
                clientFrame(WsOpcodes.CONTINUATION, true, "c".getBytes()))) {
            decoder.feed(f, 0, f.length, c);
        }
        assertEquals(List.of(WsOpcodes.TEXT, WsOpcodes.CONTINUATION), c.opcodes);
        assertEquals(List.of(false, true), c.fins);
    }

    @Test
    void anOversizedFrameIsReportedBeforeItsPayloadAndSkipped() {
        Collector c = new Collector();
        c.max = 1000;
        WsFrameDecoder decoder = new WsFrameDecoder();
        byte[] big = clientFrame(WsOpcodes.BINARY, true, random(5000));
        decoder.feed(big, 0, 20, c);
        assertEquals(List.of(WsOpcodes.BINARY), c.oversized, "known from the header alone");
        decoder.feed(big, 20, big.length - 20, c);
        byte[] next = clientFrame(WsOpcodes.BINARY, true, new byte[] {9});
        decoder.feed(next, 0, next.length, c);
        assertEquals(1, c.payloads.size());
        assertArrayEquals(new byte[] {9}, c.payloads.get(0));
    }

    @Test
    void aLengthNoArrayCanHoldIsOversizedEvenWhenTheHandlerAllowsIt() {
        Collector c = new Collector();
        byte[] header = {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4}; // 2^32 bytes
        new WsFrameDecoder().feed(header, 0, header.length, c);
        assertEquals(List.of(WsOpcodes.BINARY), c.oversized);
        assertTrue(c.payloads.isEmpty());
    }

    @Test
    void framingViolationsAreProtocolErrors() {
        byte[] unmasked = {(byte) 0x82, 1, 5};
        byte[] reserved = clientFrame(WsOpcodes.BINARY, true, new byte[1]);
        reserved[0] |= 0x40;
        byte[] unknownOpcode = clientFrame(0x3, true, new byte[1]);
        byte[] fragmentedPing = clientFrame(WsOpcodes.PING, false, new byte[1]);
        byte[] longPing = clientFrame(WsOpcodes.PING, true, new byte[126]);
        for (byte[] bad : List.of(unmasked, reserved, unknownOpcode, fragmentedPing, longPing)) {
            WsProtocolException e = assertThrows(
                    WsProtocolException.class, () -> new WsFrameDecoder().feed(bad, 0, bad.length, new Collector()));
            assertEquals(1002, e.closeCode());
        }
    }

    @Test
    void unmaskingMatchesTheByteByByteDefinitionAtEveryOffset() {
        byte[] src = random(64);
        int mask = RANDOM.nextInt();
        for (int from = 0; from < 8; from++) {
            for (int n = 0; n < 40; n++) {
                byte[] fast = new byte[64];
                WsFrameDecoder.unmask(src, 3, fast, from, n, Integer.rotateRight(mask, (from & 3) * 8));
                for (int i = 0; i < n; i++) {
                    int k = (from + i) & 3;
                    assertEquals((byte) (src[3 + i] ^ (mask >>> (8 * k))), fast[from + i]);
                }
            }
        }
    }
}

package dev.earshot.loadtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.ws.WsOpcodes;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6455 framing: masked client frames, server frames of every length form, split anywhere. */
class FrameCodecTest {
    private static final int KEY = 0x37FA213D;

    /** A frame as the handler saw it. */
    record Frame(int opcode, boolean fin, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.opcode == opcode && f.fin == fin && Arrays.equals(f.payload, payload);
        }

        @Override
        public int hashCode() {
            return opcode * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Frame[" + opcode + ", " + fin + ", " + payload.length + " bytes]";
        }
    }

    /** Collects frames. */
    static final class Collector implements FrameCodec.FrameHandler {
        final List<Frame> frames = new ArrayList<>();

        @Override
        public boolean onFrame(int opcode, boolean fin, ByteBuffer buf, int offset, int length) {
            byte[] payload = new byte[length];
            buf.get(offset, payload);
            frames.add(new Frame(opcode, fin, payload));
            return true;
        }
    }

    /** An unmasked server frame. */
    static byte[] serverFrame(int opcode, boolean fin, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(10 + payload.length);
        b.put((byte) ((fin ? 0x80 : 0) | opcode));
        if (payload.length <= 125) {
            b.put((byte) payload.length);
        } else if (payload.length <= 0xFFFF) {
            b.put((byte) 126).putShort((short) payload.length);
        } else {
            b.put((byte) 127).putLong(payload.length);
        }
        b.put(payload);
        return Arrays.copyOf(b.array(), b.position());
    }

    static byte[] payload(int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (i * 7 + 3);
        }
        return p;
    }

    @Test
    void clientFramesAreMaskedAndUseTheShortestLengthForm() {
        int[][] cases = {{0, 2}, {125, 2}, {126, 4}, {65535, 4}, {65536, 10}};
        for (int[] c : cases) {
            byte[] payload = payload(c[0]);
            ByteBuffer frame = FrameCodec.clientFrame(WsOpcodes.BINARY, payload, KEY);
            assertTrue(frame.isReadOnly() && frame.isDirect());
            int header = c[1];
            assertEquals(header + 4 + payload.length, frame.remaining(), "length " + c[0]);
            assertEquals(0x82, frame.get(0) & 0xFF, "FIN + binary");
            assertEquals(0x80, frame.get(1) & 0x80, "mask bit");
            long length =
                    header == 2 ? frame.get(1) & 0x7F : header == 4 ? frame.getShort(2) & 0xFFFF : frame.getLong(2);
            assertEquals(c[0], length);
            assertEquals(header == 2 ? c[0] : header == 4 ? 126 : 127, frame.get(1) & 0x7F);
            assertEquals(KEY, frame.getInt(header));
            byte[] key = ByteBuffer.allocate(4).putInt(KEY).array();
            byte[] unmasked = new byte[payload.length];
            boolean differs = false;
            for (int i = 0; i < payload.length; i++) {
                byte masked = frame.get(header + 4 + i);
                differs |= masked != payload[i];
                unmasked[i] = (byte) (masked ^ key[i & 3]);
            }
            assertArrayEquals(payload, unmasked);
            assertTrue(differs || payload.length == 0, "the payload is masked");
        }
    }

    @Test
    void serverFramesOfEveryLengthFormParse() throws Exception {
        for (int length : new int[] {0, 1, 125, 126, 127, 65535, 65536, 70_000}) {
            byte[] frame = serverFrame(WsOpcodes.TEXT, true, payload(length));
            Collector c = new Collector();
            ByteBuffer in = ByteBuffer.wrap(frame);
            assertEquals(0, FrameCodec.parse(in, c), "length " + length);
            assertEquals(List.of(new Frame(WsOpcodes.TEXT, true, payload(length))), c.frames);
            assertFalse(in.hasRemaining());
        }
    }

    @Test
    void anIncompleteFrameReportsTheBytesItNeeds() throws Exception {
        byte[] frame = serverFrame(WsOpcodes.BINARY, true, payload(300));
        Collector c = new Collector();
        assertEquals(2, FrameCodec.parse(ByteBuffer.wrap(frame, 0, 1), c));
        assertEquals(4, FrameCodec.parse(ByteBuffer.wrap(frame, 0, 3), c));
        ByteBuffer partial = ByteBuffer.wrap(frame, 0, 100);
        assertEquals(304, FrameCodec.parse(partial, c));
        assertEquals(0, partial.position(), "nothing consumed");
        assertTrue(c.frames.isEmpty());
    }

    @Test
    void maskedOrHugeServerFramesAreRejected() {
        byte[] masked = {(byte) 0x81, (byte) 0x81, 1, 2, 3, 4, 'x'};
        assertThrows(ProtocolException.class, () -> FrameCodec.parse(ByteBuffer.wrap(masked), new Collector()));
        ByteBuffer huge = ByteBuffer.allocate(10)
                .put((byte) 0x82)
                .put((byte) 127)
                .putLong(1L << 40)
                .flip();
        assertThrows(ProtocolException.class, () -> FrameCodec.parse(huge, new Collector()));
    }

    /** Text (7-bit length), ping, text (16-bit length), binary larger than a small read buffer, close. */
    private static byte[] stream(List<Frame> expected) {
        List<byte[]> parts = new ArrayList<>();
        Frame[] frames = {
            new Frame(WsOpcodes.TEXT, true, "{\"event\":\"transcript\"}".getBytes(StandardCharsets.UTF_8)),
            new Frame(WsOpcodes.PING, true, "hi".getBytes(StandardCharsets.UTF_8)),
            new Frame(WsOpcodes.TEXT, false, payload(130)),
            new Frame(WsOpcodes.CONTINUATION, true, payload(3)),
            new Frame(WsOpcodes.BINARY, true, payload(300)),
            new Frame(WsOpcodes.CLOSE, true, new byte[] {0x03, (byte) 0xE8})
        };
        int size = 0;
        for (Frame f : frames) {
            expected.add(f);
            byte[] bytes = serverFrame(f.opcode(), f.fin(), f.payload());
            parts.add(bytes);
            size += bytes.length;
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        parts.forEach(all::put);
        return all.array();
    }

    @Test
    void framesSplitAcrossReadsAtEveryByteArriveWhole() throws Exception {
        List<Frame> expected = new ArrayList<>();
        byte[] bytes = stream(expected);
        for (int sharedSize : new int[] {64, 64 * 1024}) {
            for (int split = 0; split <= bytes.length; split++) {
                Collector c = new Collector();
                FrameReader reader = new FrameReader();
                ByteBuffer shared = ByteBuffer.allocateDirect(sharedSize);
                Pipe pipe = Pipe.open();
                try (Pipe.SinkChannel sink = pipe.sink();
                        Pipe.SourceChannel source = pipe.source()) {
                    deliver(sink, source, reader, shared, c, Arrays.copyOfRange(bytes, 0, split));
                    deliver(sink, source, reader, shared, c, Arrays.copyOfRange(bytes, split, bytes.length));
                }
                assertEquals(expected, c.frames, "split at " + split + ", buffer " + sharedSize);
                assertFalse(reader.hasPending(), "nothing left over");
            }
        }
    }

    @Test
    void severalFramesInOneReadAllArrive() throws Exception {
        List<Frame> expected = new ArrayList<>();
        byte[] bytes = stream(expected);
        Collector c = new Collector();
        FrameReader reader = new FrameReader();
        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink();
                Pipe.SourceChannel source = pipe.source()) {
            sink.write(ByteBuffer.wrap(bytes));
            assertEquals(bytes.length, reader.read(source, ByteBuffer.allocateDirect(64 * 1024), c));
        }
        assertEquals(expected, c.frames);
    }

    /** Writes bytes into the pipe and reads until the reader has taken them all. */
    private static void deliver(
            Pipe.SinkChannel sink,
            Pipe.SourceChannel source,
            FrameReader reader,
            ByteBuffer shared,
            Collector c,
            byte[] bytes)
            throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            sink.write(b);
        }
        int read = 0;
        while (read < bytes.length) {
            read += reader.read(source, shared, c);
        }
    }
}

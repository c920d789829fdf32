package dev.earshot.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedBodyTest {
    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(
            ints = {
                1,
                BoundedBody.FIRST_CHUNK - 1,
                BoundedBody.FIRST_CHUNK,
                BoundedBody.FIRST_CHUNK + 1,
                3 * BoundedBody.MAX_CHUNK + 12_345
            })
    void aBodyOfUnknownLengthComesBackByteForByteAcrossItsChunks(int n) throws Exception {
        byte[] body = random(n);
        ByteString read = BoundedBody.read(new ByteArrayInputStream(body), n, -1);
        assertArrayEquals(body, read.toByteArray());
    }

    @Test
    void aBodyOfDeclaredLengthComesBackWhole() throws Exception {
        byte[] body = random(100_000);
        assertArrayEquals(
                body,
                BoundedBody.read(new ByteArrayInputStream(body), body.length, body.length)
                        .toByteArray());
    }

    @Test
    void oneByteOverTheLimitIsTooLargeAndNoMoreIsRead() {
        int limit = 5 * BoundedBody.MAX_CHUNK;
        AtomicLong consumed = new AtomicLong();
        InputStream endless = new InputStream() { // a body that never ends
                    @Override
                    public int read() {
                        consumed.incrementAndGet();
                        return 0;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        consumed.addAndGet(len);
                        return len;
                    }
                };
        assertThrows(BoundedBody.TooLargeException.class, () -> BoundedBody.read(endless, limit, -1));
        assertEquals(limit + 1, consumed.get(), "read up to the first byte too many, not beyond");
    }

    @Test
    void aDeclaredLengthOverTheLimitIsTooLargeBeforeAnythingIsRead() {
        InputStream untouchable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("nothing may be read");
            }
        };
        assertThrows(BoundedBody.TooLargeException.class, () -> BoundedBody.read(untouchable, 10, 11));
    }
}

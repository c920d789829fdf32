package dev.earshot.http;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a request body into memory, counting while it streams in, so that a body over the limit
 * is refused the moment its first byte too many arrives: with or without {@code Content-Length},
 * the memory a body takes is bounded by the limit, never by what the client sends.
 *
 * <p>The bytes are copied once, from the connection into arrays that become the
 * {@link ByteString} Riva's request carries: a body of known length goes into one array of
 * exactly that size; one of unknown length (chunked) into arrays that grow with it (64 KiB, then
 * as large as what came before, up to 4 MiB), joined as a rope rather than copied into one, so the
 * waste is at most the unused end of the last array. Nothing is held that is not in the result.
 */
public final class BoundedBody {
    static final int FIRST_CHUNK = 64 * 1024;
    static final int MAX_CHUNK = 4 * 1024 * 1024;

    /** The body was longer than the limit. */
    public static final class TooLargeException extends Exception {
        TooLargeException(long limit) {
            super("the body is limited to " + limit + " bytes");
        }
    }

    private BoundedBody() {}

    /**
     * The whole body.
     *
     * @param in     the body as it arrives
     * @param limit  the most bytes accepted
     * @param length the body's length when the request declared it ({@code Content-Length}), else -1
     * @throws TooLargeException as soon as more than {@code limit} bytes have arrived (or were declared)
     */
    static ByteString read(InputStream in, long limit, long length) throws IOException, TooLargeException {
        if (length > limit) {
            throw new TooLargeException(limit);
        }
        if (length >= 0 && length <= MAX_CHUNK) { // the usual case: one array, exactly the body
            byte[] bytes = new byte[(int) length];
            int n = in.readNBytes(bytes, 0, bytes.length);
            return UnsafeByteOperations.unsafeWrap(bytes, 0, n);
        }
        List<ByteString> chunks = new ArrayList<>();
        long total = 0;
        while (true) {
            // one byte more than the limit allows is enough to know the body is too large
            long room = limit + 1 - total;
            int size = (int) Math.min(room, Math.min(MAX_CHUNK, Math.max(FIRST_CHUNK, total)));
            byte[] chunk = new byte[size];
            int n = in.readNBytes(chunk, 0, size);
            total += n;
            if (total > limit) {
                throw new TooLargeException(limit);
            }
            if (n > 0) {
                chunks.add(UnsafeByteOperations.unsafeWrap(chunk, 0, n));
            }
            if (n < size) { // the end of the body
                return ByteString.copyFrom(chunks);
            }
        }
    }
}

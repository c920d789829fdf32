package dev.earshot.http;

import com.google.protobuf.ByteString;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.util.concurrent.Semaphore;

/**
 * What one gateway lets whole-file transcriptions take, shared by every route that takes one
 * ({@code POST /api/v1/transcriptions} and Deepgram's {@code POST /v1/listen}): one body limit
 * ({@code rest.max-bytes}, enforced while the body streams in) and one pool of
 * {@code rest.max-concurrent} slots. One pool for both routes, so that the heap uploads can hold
 * stays {@code max-concurrent × max-bytes} whichever API the clients speak.
 */
public final class RestLimits {
    private final RestSettings settings;
    private final Semaphore slots;

    public RestLimits(RestSettings settings) {
        this.settings = settings;
        this.slots = new Semaphore(settings.maxConcurrent());
    }

    public RestSettings settings() {
        return settings;
    }

    /** Takes a slot for one recognition; false when {@code rest.max-concurrent} are running. */
    public boolean tryAcquire() {
        return slots.tryAcquire();
    }

    /** Gives a slot back. */
    public void release() {
        slots.release();
    }

    /** Whether a body of this declared length ({@code Content-Length}; -1 when none) is over the limit. */
    public boolean tooLarge(long declared) {
        return declared > settings.maxBytes();
    }

    /**
     * A request's body, read within {@code rest.max-bytes} ({@link BoundedBody}); empty when it has none.
     *
     * @throws BoundedBody.TooLargeException the moment the body goes past the limit
     */
    public ByteString read(ServerRequest req) throws IOException, BoundedBody.TooLargeException {
        if (!req.content().hasEntity()) {
            return ByteString.EMPTY;
        }
        return BoundedBody.read(
                req.content().inputStream(),
                settings.maxBytes(),
                req.headers().contentLength().orElse(-1));
    }

    /** The message of a 413: the limit and its key. */
    public String tooLargeMessage() {
        return "the body is limited to " + settings.maxBytes() + " bytes (rest.max-bytes)";
    }
}

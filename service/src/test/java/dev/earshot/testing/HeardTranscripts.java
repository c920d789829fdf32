package dev.earshot.testing;

import dev.earshot.riva.RivaStream;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;

/** A {@link RivaStream.Listener} for tests: the first alternative of every result, and the final status. */
public final class HeardTranscripts implements RivaStream.Listener {
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();

    @Override
    public void onResponse(StreamingRecognizeResponse response) {
        response.getResultsList().forEach(r -> heard.add(r.getAlternatives(0).getTranscript()));
    }

    @Override
    public void onClose(Status status) {
        closed.complete(status);
    }

    /** What was heard so far, in order. */
    public List<String> heard() {
        return heard;
    }

    /** The call's final status, waiting up to 30 s. */
    public Status closed() throws Exception {
        return closed.get(30, TimeUnit.SECONDS);
    }
}

package dev.earshot.asr.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Requires {@code authorization: Bearer <key>} on every call, as NVIDIA's cloud does, when the
 * embedded recognizer is given an API key ({@code asr.api-key}). Calls without it end with
 * {@code UNAUTHENTICATED} before reaching the service.
 */
public final class ApiKeyCheck implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final byte[] expected;

    public ApiKeyCheck(String apiKey) {
        this.expected = ("Bearer " + apiKey).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String given = headers.get(AUTHORIZATION);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            call.close(
                    Status.UNAUTHENTICATED.withDescription("a valid API key is required (authorization: Bearer ...)"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }
}

package dev.earshot.riva;

import dev.earshot.protocol.ErrorCode;
import io.grpc.Status;
import java.io.IOException;
import java.util.Locale;

/**
 * What a failed Riva call means to an Earshot client: the one mapping from a gRPC status to a
 * protocol error code, the same for a WebSocket session's stream and a REST upload, so that a
 * client hears the same code whichever way it came in. How the code then reaches the client (a
 * close code, an HTTP status) is each transport's business.
 */
public final class RivaErrors {
    private RivaErrors() {}

    /**
     * The error code for a call Riva failed with {@code status}.
     *
     * <ul>
     *   <li>{@code INVALID_ARGUMENT}, {@code OUT_OF_RANGE}, {@code FAILED_PRECONDITION}: Riva refused
     *       what was asked (an unknown language or model, audio it cannot decode): {@code invalid_config}.</li>
     *   <li>{@code UNAUTHENTICATED}, {@code PERMISSION_DENIED}: Riva refused the gateway's credentials
     *       ({@code riva.api-key}): {@code unauthorized}.</li>
     *   <li>{@code RESOURCE_EXHAUSTED}: Riva has no capacity for another stream: {@code capacity_exceeded}.</li>
     *   <li>Anything else (unreachable, deadline, an internal error): {@code backend_unavailable}.</li>
     * </ul>
     */
    public static ErrorCode code(Status status) {
        return switch (status.getCode()) {
            case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION -> ErrorCode.INVALID_CONFIG;
            case UNAUTHENTICATED, PERMISSION_DENIED -> ErrorCode.UNAUTHORIZED;
            case RESOURCE_EXHAUSTED -> ErrorCode.CAPACITY_EXCEEDED;
            default -> ErrorCode.BACKEND_UNAVAILABLE;
        };
    }

    /**
     * Whether a session whose stream failed with {@code status} should open a new stream and go on
     * ({@link RetryPolicy}): the failure was the backend's or the network's, not a verdict on what
     * was asked, so the same request may well succeed on the next stream, maybe on another backend.
     *
     * <ul>
     *   <li>{@code UNAVAILABLE} (unreachable, a connection that closed, a pod restarting),
     *       {@code ABORTED}, {@code DEADLINE_EXCEEDED}: yes.</li>
     *   <li>{@code INTERNAL} or {@code CANCELLED} caused by a reset (an HTTP/2 {@code RST_STREAM}
     *       or a connection reset: Google's client libraries retry these too): yes; any other
     *       {@code INTERNAL} is a fault that the same audio would meet again: no.</li>
     *   <li>{@code RESOURCE_EXHAUSTED}: yes from an external Riva (it is busy now; another
     *       replica, or the same one a moment later, may not be), no from the embedded
     *       recognizer, whose decoders are this replica's own capacity: a retry would only queue
     *       behind the same sessions ({@code capacity_exceeded} tells the client to go elsewhere).</li>
     *   <li>Anything else ({@code INVALID_ARGUMENT}, {@code UNAUTHENTICATED},
     *       {@code PERMISSION_DENIED}, {@code UNIMPLEMENTED}, ...): no.</li>
     * </ul>
     *
     * @param embedded whether the stream went to the recognizer embedded in this process
     */
    public static boolean retryable(Status status, boolean embedded) {
        return switch (status.getCode()) {
            case UNAVAILABLE, ABORTED, DEADLINE_EXCEEDED -> true;
            case INTERNAL, CANCELLED -> causedByReset(status);
            case RESOURCE_EXHAUSTED -> !embedded;
            default -> false;
        };
    }

    private static boolean causedByReset(Status status) {
        if (status.getCause() instanceof IOException) {
            return true;
        }
        String description =
                status.getDescription() == null ? "" : status.getDescription().toLowerCase(Locale.ROOT);
        return description.contains("rst_stream")
                || description.contains("rst stream")
                || description.contains("connection reset");
    }

    /** The error message for the client: Riva's status code and its description, as Riva sent them. */
    public static String message(Status status) {
        return "Riva " + status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }
}

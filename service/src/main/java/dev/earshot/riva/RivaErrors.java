package dev.earshot.riva;

import dev.earshot.protocol.ErrorCode;
import io.grpc.Status;

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

    /** The error message for the client: Riva's status code and its description, as Riva sent them. */
    public static String message(Status status) {
        return "Riva " + status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }
}

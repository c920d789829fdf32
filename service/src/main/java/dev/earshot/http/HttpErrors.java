package dev.earshot.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.earshot.protocol.ErrorCode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * Errors on the HTTP side. Every one has the body {@code {"code": ..., "message": ...}}: the REST
 * API, CORS refusals and refused WebSocket upgrades all look the same to a client. The REST API
 * uses protocol v1's error codes, and {@link #status} is the one table of the HTTP status each
 * of them is answered with.
 */
public final class HttpErrors {
    private HttpErrors() {}

    /** Answers with the status for {@code code} and the JSON error body. */
    public static void send(ServerResponse res, ErrorCode code, String message) {
        res.status(status(code))
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(body(code.wire(), message));
    }

    /**
     * 429 with {@code capacity_exceeded} and {@code Retry-After: 1}: this gateway is running as
     * many REST recognitions as {@code rest.max-concurrent} allows. Not the 503 that the same code
     * gets from {@link #status} when Riva is the one at capacity: here the limit is the gateway's
     * own, one of its recognitions will soon finish, and a retry in a moment is the right answer.
     */
    public static void tooManyRequests(ServerResponse res, String message) {
        res.status(Status.TOO_MANY_REQUESTS_429)
                .header(HeaderNames.RETRY_AFTER, "1")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(body(ErrorCode.CAPACITY_EXCEEDED.wire(), message));
    }

    /**
     * The HTTP status for an error code. {@code unauthorized} is a 502 like any other failure of
     * Riva's: the credentials Riva refused are the gateway's own ({@code riva.api-key}), which the
     * client can do nothing about; a 401 or 403 would tell it that its own were wrong.
     */
    static Status status(ErrorCode code) {
        return switch (code) {
            case INVALID_MESSAGE, INVALID_CONFIG -> Status.BAD_REQUEST_400;
            case MESSAGE_TOO_LARGE -> Status.REQUEST_ENTITY_TOO_LARGE_413;
            case CAPACITY_EXCEEDED, OVERLOADED -> Status.SERVICE_UNAVAILABLE_503;
            case BACKEND_UNAVAILABLE, UNAUTHORIZED -> Status.BAD_GATEWAY_502;
            case INTERNAL -> Status.INTERNAL_SERVER_ERROR_500;
            // only a WebSocket session has these; a request answered with one is a fault here
            case NOT_STARTED,
                    ALREADY_STARTED,
                    SESSION_EXISTS,
                    IDLE_TIMEOUT,
                    SESSION_TIMEOUT,
                    SLOW_CONSUMER,
                    RESUME_FAILED -> Status.INTERNAL_SERVER_ERROR_500;
        };
    }

    /** {@code {"code": ..., "message": ...}}, escaped for JSON. */
    public static String body(String code, String message) {
        return "{\"code\":\"" + escape(code) + "\",\"message\":\"" + escape(message) + "\"}";
    }

    private static String escape(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }
}

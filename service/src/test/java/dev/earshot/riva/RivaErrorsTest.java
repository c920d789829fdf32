package dev.earshot.riva;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.asr.grpc.RivaAsrService;
import dev.earshot.asr.synthetic.SyntheticEngine;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.Wav;
import dev.earshot.testing.WsTestClient;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a client hears when Riva fails a call, over a WebSocket and over REST: the same error
 * code either way ({@link RivaErrors}), then the transport's close code or HTTP status. A
 * Riva-compatible server on loopback fails every recognition call with the status under test, so
 * a session retries a failure worth a retry ({@link RivaErrors#retryable}) until
 * {@code riva.retry.max-attempts} and then reports the last one.
 */
class RivaErrorsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicReference<Status> failWith = new AtomicReference<>();
    static Server riva;
    static GatewayServer gateway;

    @BeforeAll
    static void start() throws Exception {
        ServerInterceptor failing = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                Status status = failWith.get();
                if (status == null) {
                    return next.startCall(call, headers);
                }
                call.close(status, new Metadata());
                return new ServerCall.Listener<>() {};
            }
        };
        riva = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new RivaAsrService(new SyntheticEngine(), 1 << 20))
                .intercept(failing)
                .directExecutor()
                .build()
                .start();
        gateway = TestGateways.toRiva(SessionSettings.defaults(), TestConfigs.riva("127.0.0.1:" + riva.getPort()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        riva.shutdownNow();
    }

    @AfterEach
    void succeedAgain() {
        failWith.set(null);
    }

    @ParameterizedTest(name = "{0} -> {1}, close {2}, HTTP {3}")
    @CsvSource({
        "INVALID_ARGUMENT,    invalid_config,      0,    400",
        "OUT_OF_RANGE,        invalid_config,      0,    400",
        "FAILED_PRECONDITION, invalid_config,      0,    400",
        "UNAUTHENTICATED,     unauthorized,        1008, 502",
        "PERMISSION_DENIED,   unauthorized,        1008, 502",
        "RESOURCE_EXHAUSTED,  capacity_exceeded,   1013, 503",
        "UNAVAILABLE,         backend_unavailable, 1011, 502",
        "DEADLINE_EXCEEDED,   backend_unavailable, 1011, 502",
        "INTERNAL,            backend_unavailable, 1011, 502",
        "UNIMPLEMENTED,       backend_unavailable, 1011, 502"
    })
    void aFailedCallIsTheSameErrorOverAWebSocketAndOverRest(
            Status.Code grpc, String code, int closeCode, int httpStatus) throws Exception {
        failWith.set(Status.fromCode(grpc).withDescription("the stand-in says no"));
        String message = "Riva " + grpc + ": the stand-in says no";

        try (WsTestClient ws = WsTestClient.connect(gateway.port(), "fails-" + grpc)) {
            ws.start(null).next();
            ws.sendBinary(new byte[3200]); // the Riva stream opens with the first audio
            JsonNode error = ws.next();
            assertEquals("error", error.path("event").asText(), error.toString());
            assertEquals(code, error.path("code").asText(), error.toString());
            assertEquals(message, error.path("message").asText());
            if (closeCode == 0) {
                // a refused configuration leaves the session open, to be started again
                failWith.set(null);
                assertEquals(
                        "transcription_started",
                        ws.start(null).next().path("event").asText());
                assertFalse(ws.closed());
            } else {
                assertEquals(closeCode, ws.closeCode());
            }
        }

        failWith.set(Status.fromCode(grpc).withDescription("the stand-in says no"));
        HttpResponse<String> response = WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1/transcriptions"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Wav.pcm16k(new byte[3200])))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(httpStatus, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(code, body.path("code").asText(), response.body());
        assertEquals(message, body.path("message").asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"INVALID_ARGUMENT", "UNAUTHENTICATED", "RESOURCE_EXHAUSTED", "UNAVAILABLE"})
    void withoutADescriptionTheMessageIsTheStatusAlone(Status.Code grpc) {
        assertEquals("Riva " + grpc, RivaErrors.message(Status.fromCode(grpc)));
        assertTrue(
                RivaErrors.message(Status.fromCode(grpc).withDescription("why")).endsWith(": why"));
    }

    @ParameterizedTest(name = "{0} \"{1}\" from {2}: {3}")
    @CsvSource({
        "UNAVAILABLE,        '',                                                      external, true",
        "ABORTED,            '',                                                      external, true",
        "DEADLINE_EXCEEDED,  '',                                                      embedded, true",
        "INTERNAL,           RST_STREAM closed stream. HTTP/2 error code: INTERNAL_ERROR, external, true",
        "INTERNAL,           Received Rst Stream,                                     external, true",
        "CANCELLED,          RST_STREAM closed stream. HTTP/2 error code: CANCEL,      external, true",
        "INTERNAL,           the decoder crashed,                                     external, false",
        "CANCELLED,          '',                                                      external, false",
        "RESOURCE_EXHAUSTED, '',                                                      external, true",
        "RESOURCE_EXHAUSTED, all 4 recognizer decoders are busy,                      embedded, false",
        "INVALID_ARGUMENT,   '',                                                      external, false",
        "UNAUTHENTICATED,    '',                                                      external, false",
        "PERMISSION_DENIED,  '',                                                      external, false",
        "UNIMPLEMENTED,      '',                                                      external, false"
    })
    void aFailureIsWorthANewStreamOnlyWhenTheNextMaySucceed(
            Status.Code code, String description, String backend, boolean retryable) {
        Status status = Status.fromCode(code).withDescription(description.isEmpty() ? null : description);
        assertEquals(retryable, RivaErrors.retryable(status, backend.equals("embedded")));
    }

    @Test
    void anInternalErrorCausedByAnIoExceptionIsAReset() {
        Status reset = Status.INTERNAL.withCause(new IOException("Connection reset by peer"));
        assertTrue(RivaErrors.retryable(reset, false));
    }
}

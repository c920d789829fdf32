package dev.earshot.asr.grpc;

import dev.earshot.proto.health.v1.HealthCheckRequest;
import dev.earshot.proto.health.v1.HealthCheckResponse;
import dev.earshot.proto.health.v1.HealthCheckResponse.ServingStatus;
import dev.earshot.proto.health.v1.HealthGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.BooleanSupplier;

/**
 * The standard gRPC health service ({@code grpc.health.v1.Health}) as Riva serves it. The whole
 * server ({@code service = ""}) and the ASR service are known; they are {@code SERVING} while the
 * engine is healthy.
 */
public final class HealthService extends HealthGrpc.HealthImplBase {
    private static final String ASR = "nvidia.riva.asr.RivaSpeechRecognition";

    private final BooleanSupplier healthy;

    public HealthService(BooleanSupplier healthy) {
        this.healthy = healthy;
    }

    @Override
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responseObserver) {
        if (!request.getService().isEmpty() && !request.getService().equals(ASR)) {
            responseObserver.onError(Status.NOT_FOUND
                    .withDescription("unknown service " + request.getService())
                    .asRuntimeException());
            return;
        }
        responseObserver.onNext(status());
        responseObserver.onCompleted();
    }

    @Override
    public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responseObserver) {
        responseObserver.onNext(status());
    }

    private HealthCheckResponse status() {
        return HealthCheckResponse.newBuilder()
                .setStatus(healthy.getAsBoolean() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING)
                .build();
    }
}

package dev.earshot.operator.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Drains a gateway ({@code POST /admin/drain}) or takes the drain back ({@code DELETE}) on its
 * admin port, with the same short timeout as a metrics read. Never completes exceptionally: a
 * failure is a {@link DrainAnswer.Failed}, and the autoscaler tries again at the next poll.
 */
public final class HttpDrainClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdminRequests requests;

    /**
     * @param timeout connect and response timeout per request
     */
    public HttpDrainClient(Duration timeout) {
        this.requests = new AdminRequests(timeout);
    }

    /** Tells the gateway at {@code admin} (its admin listener's base URL) to drain. */
    public CompletableFuture<DrainAnswer> drain(URI admin) {
        return send(admin, "POST");
    }

    /** Tells the gateway at {@code admin} to take new sessions again. */
    public CompletableFuture<DrainAnswer> undrain(URI admin) {
        return send(admin, "DELETE");
    }

    private CompletableFuture<DrainAnswer> send(URI admin, String method) {
        return requests.send(HttpRequest.newBuilder(PodAdminUrl.resolve(admin, PodAdminUrl.DRAIN_PATH))
                        .method(method, HttpRequest.BodyPublishers.noBody()))
                .thenApply(HttpDrainClient::read)
                .exceptionally(error -> new DrainAnswer.Failed(AdminRequests.describe(error)));
    }

    private static DrainAnswer read(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return new DrainAnswer.Failed("HTTP " + response.statusCode());
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            if (!body.path("draining").isBoolean() || !body.path("sessions").isIntegralNumber()) {
                return new DrainAnswer.Failed("unexpected answer " + response.body());
            }
            return new DrainAnswer.Answered(
                    body.path("draining").asBoolean(), body.path("sessions").asLong());
        } catch (IOException e) {
            return new DrainAnswer.Failed("unreadable answer: " + e.getMessage());
        }
    }
}

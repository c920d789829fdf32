package dev.earshot.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Server-side apply for the fabric8 CRUD mock, which has none: an apply PATCH becomes an update
 * with the body merged into the object (RFC 7386) when the object exists, and a create when it
 * does not (a status apply of a missing object
 * is 404, as on a real server). Field ownership is not modelled. This lets the operator run with
 * its production settings, so the requests the tests see are the ones it makes in a cluster.
 */
final class ServerSideApplyShim extends Dispatcher {

    static final String APPLY_CONTENT_TYPE = "application/apply-patch+yaml";

    private final Dispatcher crud;

    ServerSideApplyShim(Dispatcher crud) {
        this.crud = crud;
    }

    static boolean isApply(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        return "PATCH".equals(request.getMethod()) && type != null && type.startsWith(APPLY_CONTENT_TYPE);
    }

    /** The object at a path (the object itself for a subresource path), as JSON, or null. */
    String current(String pathAndQuery) {
        String path = objectPath(URI.create(pathAndQuery).getRawPath());
        MockResponse response = crud.dispatch(new RecordedRequest(
                "HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(), new Buffer()));
        return response.code() == HttpURLConnection.HTTP_OK
                ? new String(response.getBody().getBytes(), StandardCharsets.UTF_8)
                : null;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (!isApply(request)) {
            return crud.dispatch(request);
        }
        String path = URI.create(request.getPath()).getRawPath();
        String json = RenderedChart.SERIALIZATION.convertToJson(
                new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
        String current = current(path);
        if (current != null) {
            String merged = RenderedChart.SERIALIZATION.asJson(mergePatch(
                    RenderedChart.SERIALIZATION.unmarshal(current, JsonNode.class),
                    RenderedChart.SERIALIZATION.unmarshal(json, JsonNode.class)));
            return crud.dispatch(new RecordedRequest(
                    request.getHttpVersion(),
                    HttpMethod.PUT,
                    path,
                    Headers.builder().add("Content-Type", "application/json").build(),
                    new Buffer(merged.getBytes(StandardCharsets.UTF_8))));
        }
        if (!path.equals(objectPath(path))) {
            return new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND);
        }
        String collection = path.substring(0, path.lastIndexOf('/'));
        return crud.dispatch(new RecordedRequest(
                request.getHttpVersion(),
                HttpMethod.POST,
                collection,
                Headers.builder().add("Content-Type", "application/json").build(),
                new Buffer(json.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * RFC 7386 JSON merge patch (objects merge, everything else is replaced, null removes). The
     * mock's own PATCH merges lists by appending, which would duplicate containers and owner
     * references on every apply.
     */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        patch.properties().forEach(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }

    /** Strips a subresource: .../speechservices/asr/status becomes .../speechservices/asr. */
    private static String objectPath(String path) {
        ApiRequest request = ApiRequest.of("GET", path);
        if (request.subresource() == null) {
            return path;
        }
        return path.substring(0, path.length() - request.subresource().length() - 1);
    }

    @Override
    public void shutdown() {
        crud.shutdown();
    }
}

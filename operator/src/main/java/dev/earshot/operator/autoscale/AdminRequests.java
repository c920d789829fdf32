package dev.earshot.operator.autoscale;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * HTTP/1.1 requests to a gateway's admin port, each with one short connect and response timeout:
 * a pod that cannot answer in time counts as failed and never delays the decision for the others.
 * Redirects are not followed (an admin port has none to give).
 */
final class AdminRequests {
    private final HttpClient client;
    private final Duration timeout;

    /**
     * @param timeout connect and response timeout per request
     */
    AdminRequests(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Sends {@code request} with the timeout; its body is read as text. */
    CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder request) {
        return client.sendAsync(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Why a request failed, in one line: the exception's simple name and its message. */
    static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}

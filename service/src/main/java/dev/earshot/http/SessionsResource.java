package dev.earshot.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.earshot.auth.Principal;
import dev.earshot.protocol.ServerEvents;
import dev.earshot.session.Session;
import dev.earshot.session.SessionRegistry;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The live session count, the capacity, and sessions: on the public port
 * ({@code GET /api/v1/sessions}) the caller's own, on the admin port ({@code GET /admin/sessions})
 * every one. Which is which follows from the request: the public route has passed
 * {@link ApiAuthFilter}, which put the caller in the request context.
 */
public final class SessionsResource implements HttpService {
    private static final JsonFactory JSON = ServerEvents.JSON;
    private final SessionRegistry registry;

    public SessionsResource(SessionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("active", registry.active());
            g.writeNumberField("capacity", registry.capacity());
            g.writeBooleanField("draining", registry.draining());
            g.writeArrayFieldStart("sessions");
            Principal caller = ApiAuthFilter.caller(req).principal();
            for (Session s : registry.sessions()) {
                if (!caller.owns(s.owner())) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("session_id", s.id());
                g.writeStringField("started_at", s.startedAt().toString());
                g.writeNumberField("audio_seconds", s.audioSeconds());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json").send(out.toString());
    }
}

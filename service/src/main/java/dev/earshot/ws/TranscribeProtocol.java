package dev.earshot.ws;

import dev.earshot.auth.Authenticator;
import dev.earshot.http.OriginPolicy;
import dev.earshot.session.SessionContext;
import io.helidon.webserver.spi.ProtocolConfig;
import java.util.List;

/**
 * The protocol v1 WebSocket as a Helidon protocol: added to a server with
 * {@code addProtocol(new TranscribeProtocol(...))}, it reaches {@link TranscribeUpgradeProvider}
 * (found through {@link java.util.ServiceLoader}), which builds the upgrader from it.
 *
 * @param sessions what sessions need: registry, Riva, settings, metrics
 * @param origins  which browser origins may connect
 * @param auth      who may connect, and the per-principal quotas
 * @param endpoints other WebSocket APIs on the same framing (e.g. Deepgram's listen API), asked in order
 */
public record TranscribeProtocol(
        SessionContext sessions, OriginPolicy origins, Authenticator auth, List<WsEndpoint> endpoints)
        implements ProtocolConfig {
    static final String TYPE = "earshot-transcribe";

    /** Protocol v1 only. */
    public TranscribeProtocol(SessionContext sessions, OriginPolicy origins, Authenticator auth) {
        this(sessions, origins, auth, List.of());
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public String type() {
        return TYPE;
    }
}

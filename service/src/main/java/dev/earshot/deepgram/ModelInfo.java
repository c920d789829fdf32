package dev.earshot.deepgram;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The model a request ran on, as Deepgram's {@code model_info} and {@code model_uuid} describe it:
 * the name the client asked for (or {@code riva} for the backend's default), Earshot as the
 * version and Riva as the architecture, and a UUID derived from the name, the same on every
 * request, as Deepgram's are.
 */
record ModelInfo(String name, String version, String arch, String uuid) {

    static ModelInfo of(String requestedModel) {
        String name = requestedModel.isEmpty() ? "riva" : requestedModel;
        return new ModelInfo(
                name,
                "earshot",
                "riva",
                UUID.nameUUIDFromBytes(("earshot-model:" + name).getBytes(StandardCharsets.UTF_8))
                        .toString());
    }
}

package dev.earshot.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.metrics.GatewayMetrics;
import dev.earshot.riva.AllowedModels;
import dev.earshot.riva.RivaClient;

/**
 * What every session shares: the registry, the Riva client, the limits, the meters, the JSON
 * parser and the models clients may ask for.
 */
public record SessionContext(
        SessionRegistry registry,
        RivaClient riva,
        SessionSettings settings,
        GatewayMetrics metrics,
        ObjectMapper json,
        AllowedModels models) {

    public SessionContext(
            SessionRegistry registry,
            RivaClient riva,
            SessionSettings settings,
            GatewayMetrics metrics,
            ObjectMapper json) {
        this(registry, riva, settings, metrics, json, AllowedModels.ANY);
    }
}

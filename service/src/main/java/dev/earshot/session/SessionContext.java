package dev.earshot.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.metrics.GatewayMetrics;
import dev.earshot.riva.RivaClient;

/**
 * What every session shares: the registry, the Riva client, the limits, the meters and the JSON
 * parser.
 */
public record SessionContext(
        SessionRegistry registry,
        RivaClient riva,
        SessionSettings settings,
        GatewayMetrics metrics,
        ObjectMapper json) {}

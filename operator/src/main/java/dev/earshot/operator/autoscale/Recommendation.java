package dev.earshot.operator.autoscale;

import java.time.Instant;

/**
 * A replica count the policy recommended at one poll, before stabilization; the windows choose
 * among these.
 *
 * @param at poll time
 * @param replicas recommended replicas
 */
public record Recommendation(Instant at, int replicas) {}

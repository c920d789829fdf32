package dev.earshot.operator.observe;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The operator's meter registry, configured before any meter is registered on it. */
public final class OperatorMeters {

    private OperatorMeters() {}

    /** A Prometheus registry whose java-operator-sdk timers have fixed buckets ({@link SdkTimerBuckets}). */
    public static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new SdkTimerBuckets());
        return registry;
    }
}

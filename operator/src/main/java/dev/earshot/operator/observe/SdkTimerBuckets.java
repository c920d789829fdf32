package dev.earshot.operator.observe;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Arrays;

/**
 * Gives java-operator-sdk's timers ({@code operator_sdk_controllers_execution_*_seconds}) a dozen
 * fixed buckets instead of the 70-odd of Micrometer's percentile histogram that JOSDK asks for,
 * and no client-side percentiles: reconciles take milliseconds to seconds, these bounds tell a
 * fast reconcile from a slow or stuck one, and the scrape stays short.
 */
final class SdkTimerBuckets implements MeterFilter {

    static final Duration[] BOUNDS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
    };

    private static final DistributionStatisticConfig FIXED = DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .percentiles()
            .serviceLevelObjectives(
                    Arrays.stream(BOUNDS).mapToDouble(Duration::toNanos).toArray())
            .build();

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("operator.sdk.")) {
            return FIXED.merge(config);
        }
        return config;
    }
}

package dev.earshot.operator.autoscale;

import dev.earshot.operator.model.SpeechServiceConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * How the autoscaler loop runs. Production uses the spec's poll interval and the system clock;
 * tests shorten the interval and drive a manual clock, so stabilization windows of minutes can be
 * crossed in milliseconds.
 *
 * @param clock time source for recommendations, windows and lastScaleTime
 * @param pollInterval poll interval for a SpeechService (default: its scaling.pollSeconds)
 * @param scrapeTimeout how long to wait for one pod's metrics
 * @param adminUrl where a pod's admin listener is (metrics, drain)
 */
public record AutoscalerSettings(
        Clock clock,
        Function<SpeechServiceConfig, Duration> pollInterval,
        Duration scrapeTimeout,
        PodAdminUrl adminUrl) {

    /** Production settings: system clock, spec poll interval, pod IP URLs. */
    public static AutoscalerSettings defaults(Duration scrapeTimeout) {
        return new AutoscalerSettings(
                Clock.systemUTC(), config -> config.scaling().poll(), scrapeTimeout, PodAdminUrl.podIp());
    }

    public AutoscalerSettings withClock(Clock value) {
        return new AutoscalerSettings(value, pollInterval, scrapeTimeout, adminUrl);
    }

    public AutoscalerSettings withPollInterval(Duration value) {
        return new AutoscalerSettings(clock, config -> value, scrapeTimeout, adminUrl);
    }

    public AutoscalerSettings withAdminUrl(PodAdminUrl value) {
        return new AutoscalerSettings(clock, pollInterval, scrapeTimeout, value);
    }
}

package dev.earshot.operator;

import dev.earshot.operator.autoscale.Autoscaler;
import dev.earshot.operator.autoscale.AutoscalerSettings;
import dev.earshot.operator.autoscale.HttpMetricsScraper;
import dev.earshot.operator.autoscale.MetricsScraper;
import dev.earshot.operator.autoscale.ScalingLedger;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.events.EventRecorder;
import dev.earshot.operator.observe.JvmMeters;
import dev.earshot.operator.observe.OperatorMeters;
import dev.earshot.operator.observe.OperatorMetrics;
import dev.earshot.operator.reconcile.SpeechServiceReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;

/**
 * Wires the operator by hand (no DI container): one ledger, one autoscaler, one reconciler, the
 * JOSDK {@link Operator}, and one meter registry for JOSDK's reconciliation meters, the operator's
 * own counters and the JVM's. Production ({@link Main}) and the tests build it the same way and
 * differ only in settings, so the tests exercise the real wiring.
 */
public final class EarshotOperator implements AutoCloseable {

    private final Operator operator;
    private final Autoscaler autoscaler;
    private final OperatorMetrics metrics;
    private final PrometheusMeterRegistry meters;
    private final JvmMeters jvmMeters;

    private EarshotOperator(Builder builder) {
        KubernetesClient client = builder.client;
        OperatorSettings settings = builder.settings;
        AutoscalerSettings autoscaling = Objects.requireNonNullElseGet(
                builder.autoscaler, () -> AutoscalerSettings.defaults(settings.scrapeTimeout()));
        MetricsScraper scraper = Objects.requireNonNullElseGet(
                builder.scraper, () -> new HttpMetricsScraper(autoscaling.scrapeTimeout()));

        meters = OperatorMeters.registry();
        jvmMeters = JvmMeters.bindTo(meters);
        metrics = new OperatorMetrics(meters);
        ScalingLedger ledger = new ScalingLedger();
        EventRecorder events = new EventRecorder(client, autoscaling.clock(), settings.identity());
        SimpleInboundEventSource<SpeechService> trigger = new SimpleInboundEventSource<>("autoscaler");
        autoscaler = new Autoscaler(client, ledger, scraper, events, metrics, autoscaling, trigger::propagateEvent);
        SpeechServiceReconciler reconciler = new SpeechServiceReconciler(
                ledger, autoscaler, trigger, events, metrics, autoscaling.clock(), settings.operatorNamespace());

        boolean ssa = settings.serverSideApply();
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(ssa)
                    .withUseSSAToPatchPrimaryResource(ssa)
                    // Per controller, not per SpeechService: bounded series, and no clean-up threads for
                    // the series of deleted resources. Each SpeechService's state is in its status.
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(meters));
            settings.leaderElection()
                    .ifPresent(lease -> o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                            lease.name(),
                            lease.namespace(),
                            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                            settings.identity(),
                            null,
                            lease.exitOnLoss())));
        });
        operator.register(reconciler, config -> {
            if (!settings.namespaces().isEmpty()) {
                config.settingNamespaces(settings.namespaces());
            }
        });
    }

    /** Starts a builder for an operator that talks through {@code client}. */
    public static Builder builder(KubernetesClient client) {
        return new Builder(client);
    }

    /** Starts the informers, the reconciler and (once leader) reconciling. */
    public void start() {
        operator.start();
    }

    /** True when the operator runs and all its informers are healthy. */
    public boolean healthy() {
        return operator.getRuntimeInfo().isStarted()
                && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /** The operator's counters. */
    public OperatorMetrics metrics() {
        return metrics;
    }

    /** Every meter of this operator, for {@code /metrics}. */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    @Override
    public void close() {
        autoscaler.close();
        operator.stop();
        jvmMeters.close();
        meters.close();
    }

    /** Collects what differs between production and tests. */
    public static final class Builder {
        private final KubernetesClient client;
        private OperatorSettings settings;
        private AutoscalerSettings autoscaler;
        private MetricsScraper scraper;

        private Builder(KubernetesClient client) {
            this.client = Objects.requireNonNull(client);
        }

        /** Process settings (namespaces, leader election, SSA). */
        public Builder settings(OperatorSettings value) {
            settings = value;
            return this;
        }

        /** Autoscaler clock, poll interval and pod URL function (default: production ones). */
        public Builder autoscaler(AutoscalerSettings value) {
            autoscaler = value;
            return this;
        }

        /** How one pod's sessions are read (default: HTTP). */
        public Builder scraper(MetricsScraper value) {
            scraper = value;
            return this;
        }

        public EarshotOperator build() {
            Objects.requireNonNull(settings, "settings");
            return new EarshotOperator(this);
        }
    }
}

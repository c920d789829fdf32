package dev.earshot.operator.reconcile;

import dev.earshot.operator.autoscale.Autoscaler;
import dev.earshot.operator.autoscale.ScalingLedger;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.crd.SpeechServiceStatus;
import dev.earshot.operator.events.EventRecorder;
import dev.earshot.operator.model.ReplicaCount;
import dev.earshot.operator.model.SpeechServiceConfig;
import dev.earshot.operator.observe.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reconciles a SpeechService: validate the spec, decide the replica count (the autoscaler's, never
 * reset), apply Deployment, Service, PodDisruptionBudget and, when the spec asks for it, a
 * NetworkPolicy (built by the model classes), hand the resource to the autoscaler, and write the
 * status. A bad spec ends in {@code Ready=False} with
 * reason {@code InvalidSpec} and one Warning Event per distinct problem; the objects created from
 * the last good spec keep running untouched.
 *
 * <p>The workflow is invoked explicitly so that nothing is applied for an invalid spec (a
 * reconcile precondition would delete the Deployment instead, cutting off every session).
 */
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(name = "deployment", type = DeploymentDependent.class),
            @Dependent(name = "service", type = ServiceDependent.class),
            @Dependent(name = "pdb", type = PodDisruptionBudgetDependent.class),
            @Dependent(
                    name = "networkpolicy",
                    type = NetworkPolicyDependent.class,
                    reconcilePrecondition = NetworkPolicyEnabled.class)
        })
@ControllerConfiguration(name = SpeechServiceReconciler.NAME)
public class SpeechServiceReconciler implements Reconciler<SpeechService> {

    /** Controller name (also JOSDK's field manager suffix). */
    public static final String NAME = "speechservice";

    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String RECONCILE_ERROR = "ReconcileError";

    private static final System.Logger LOG = System.getLogger(SpeechServiceReconciler.class.getName());

    private final ScalingLedger ledger;
    private final Autoscaler autoscaler;
    private final SimpleInboundEventSource<SpeechService> autoscalerEvents;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final OperatorNamespace operatorNamespace;

    /**
     * @param ledger autoscaler decisions and observations
     * @param autoscaler the loop to register valid resources with
     * @param autoscalerEvents the event source the autoscaler fires to request a reconcile
     * @param events Event writer
     * @param metrics operator counters
     * @param clock time source for condition transitions
     * @param operatorNamespace the operator's namespace, if known (see {@link OperatorNamespace})
     */
    public SpeechServiceReconciler(
            ScalingLedger ledger,
            Autoscaler autoscaler,
            SimpleInboundEventSource<SpeechService> autoscalerEvents,
            EventRecorder events,
            OperatorMetrics metrics,
            Clock clock,
            Optional<String> operatorNamespace) {
        this.ledger = ledger;
        this.autoscaler = autoscaler;
        this.autoscalerEvents = autoscalerEvents;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.operatorNamespace = new OperatorNamespace(operatorNamespace);
    }

    @Override
    public List<EventSource<?, SpeechService>> prepareEventSources(EventSourceContext<SpeechService> context) {
        return List.of(autoscalerEvents);
    }

    @Override
    public UpdateControl<SpeechService> reconcile(SpeechService resource, Context<SpeechService> context) {
        ResourceID id = ResourceID.fromResource(resource);
        return switch (SpeechServiceConfig.from(resource.getSpec())) {
            case SpeechServiceConfig.Invalid invalid -> reject(resource, id, invalid.message());
            case SpeechServiceConfig.Valid(SpeechServiceConfig config) -> apply(resource, id, config, context);
        };
    }

    private UpdateControl<SpeechService> apply(
            SpeechService resource, ResourceID id, SpeechServiceConfig config, Context<SpeechService> context) {
        Optional<Integer> running = context.getSecondaryResource(Deployment.class)
                .map(d -> d.getSpec().getReplicas());
        Optional<Integer> recorded =
                Optional.ofNullable(resource.getStatus()).map(SpeechServiceStatus::getDesiredReplicas);
        int replicas = ReplicaCount.resolve(ledger.decidedReplicas(id), running, recorded, config);

        var workflow = context.managedWorkflowAndDependentResourceContext();
        workflow.put(DesiredState.KEY, new DesiredState(config, replicas));
        workflow.put(OperatorNamespace.KEY, operatorNamespace);
        workflow.reconcileManagedWorkflow();
        autoscaler.track(id, config);

        Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
        SpeechServiceStatus status =
                StatusModel.reconciled(resource, replicas, deployment, ledger.observation(id), clock.instant());
        metrics.reconcileSucceeded();
        LOG.log(Level.DEBUG, "reconciled {0}: {1} replicas", id, replicas);
        return patchStatus(resource, status);
    }

    private UpdateControl<SpeechService> reject(SpeechService resource, ResourceID id, String problems) {
        autoscaler.untrack(id);
        metrics.invalidSpec();
        if (isNewProblem(resource, INVALID_SPEC, problems)) {
            LOG.log(Level.WARNING, "invalid spec of {0}: {1}", id, problems);
            events.warning(resource, INVALID_SPEC, problems);
        }
        return patchStatus(resource, StatusModel.failed(resource, INVALID_SPEC, problems, clock.instant()));
    }

    @Override
    public ErrorStatusUpdateControl<SpeechService> updateErrorStatus(
            SpeechService resource, Context<SpeechService> context, Exception error) {
        metrics.reconcileFailed();
        String message = describe(error);
        if (isNewProblem(resource, RECONCILE_ERROR, message)) {
            LOG.log(Level.WARNING, "reconcile of {0} failed: {1}", ResourceID.fromResource(resource), message);
            events.warning(resource, "ReconcileFailed", message);
        }
        SpeechServiceStatus status = StatusModel.failed(resource, RECONCILE_ERROR, message, clock.instant());
        return ErrorStatusUpdateControl.patchStatus(statusOnly(resource, status));
    }

    /** True unless the Ready condition already reports this very problem for this generation. */
    private static boolean isNewProblem(SpeechService resource, String reason, String message) {
        Condition ready = resource.getStatus() == null
                ? null
                : Conditions.find(resource.getStatus().getConditions(), Conditions.READY);
        return ready == null
                || !reason.equals(ready.getReason())
                || !Objects.equals(message, ready.getMessage())
                || !Objects.equals(
                        ready.getObservedGeneration(),
                        Optional.ofNullable(resource.getMetadata().getGeneration())
                                .orElse(0L));
    }

    private static UpdateControl<SpeechService> patchStatus(SpeechService resource, SpeechServiceStatus status) {
        if (status.equals(resource.getStatus())) {
            return UpdateControl.noUpdate();
        }
        return UpdateControl.patchStatus(statusOnly(resource, status));
    }

    /**
     * A fresh object carrying only identity and status: with server-side apply the operator then
     * owns exactly the status fields, and a stale spec is never sent back.
     */
    private static SpeechService statusOnly(SpeechService resource, SpeechServiceStatus status) {
        SpeechService fresh = new SpeechService();
        fresh.setMetadata(new ObjectMetaBuilder()
                .withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace())
                .build());
        fresh.setSpec(null);
        fresh.setStatus(status);
        return fresh;
    }

    /**
     * One line: "deployment: Deployment 'x' already exists" rather than a stack of wrappers. The
     * workflow's aggregate may itself arrive wrapped: JOSDK's Micrometer support times each reconcile
     * and rethrows its failure inside an {@code OperatorException}.
     */
    static String describe(Throwable error) {
        String message;
        AggregatedOperatorException aggregated = aggregate(error);
        if (aggregated != null && !aggregated.getAggregatedExceptions().isEmpty()) {
            message = aggregated.getAggregatedExceptions().entrySet().stream()
                    .map(e -> e.getKey() + ": " + brief(e.getValue()))
                    .collect(Collectors.joining("; "));
        } else {
            message = brief(error);
        }
        return message.length() > 512 ? message.substring(0, 509) + "..." : message;
    }

    private static AggregatedOperatorException aggregate(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AggregatedOperatorException aggregated) {
                return aggregated;
            }
        }
        return null;
    }

    private static String brief(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof KubernetesClientException k
                && k.getStatus() != null
                && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        return root.getMessage() == null
                ? root.getClass().getSimpleName()
                : root.getMessage().lines().findFirst().orElse("");
    }
}

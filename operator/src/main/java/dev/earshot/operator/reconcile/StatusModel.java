package dev.earshot.operator.reconcile;

import dev.earshot.operator.autoscale.Decision;
import dev.earshot.operator.autoscale.ScalingLedger;
import dev.earshot.operator.crd.DrainingPod;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.crd.SpeechServiceStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Builds the SpeechService status from what the reconciler knows: the Deployment, the replica
 * count it asked for, and the autoscaler's latest observation. Fields the autoscaler has not
 * reported in this process (e.g. right after a leader change) keep their previous values.
 */
final class StatusModel {

    private StatusModel() {}

    /** Status of a valid resource after its dependents were reconciled. */
    static SpeechServiceStatus reconciled(
            SpeechService resource,
            int desiredReplicas,
            Deployment deployment,
            Optional<ScalingLedger.Observation> observation,
            Instant now) {
        SpeechServiceStatus previous = previous(resource);
        SpeechServiceStatus status = base(resource, previous);
        status.setDesiredReplicas(desiredReplicas);
        if (deployment != null && deployment.getStatus() != null) {
            status.setReplicas(
                    Optional.ofNullable(deployment.getStatus().getReplicas()).orElse(0));
            status.setReadyReplicas(Optional.ofNullable(deployment.getStatus().getReadyReplicas())
                    .orElse(0));
        } else {
            status.setReplicas(0);
            status.setReadyReplicas(0);
        }
        Condition metrics = carried(previous, Conditions.METRICS_AVAILABLE);
        Condition limited = carried(previous, Conditions.SCALING_LIMITED);
        if (observation.isPresent()) {
            ScalingLedger.Observation seen = observation.get();
            status.setActiveSessions(seen.activeSessions());
            status.setCapacity(seen.capacity());
            seen.lastScaleTime().ifPresent(t -> status.setLastScaleTime(stamp(t)));
            status.setDrainingReplicas(seen.draining().size());
            status.setDrainingPods(seen.draining().stream()
                    .map(d -> new DrainingPod(d.pod(), d.sessions(), stamp(d.since())))
                    .toList());
            metrics = Conditions.of(
                    Conditions.METRICS_AVAILABLE, seen.metricsAvailable(), seen.metricsReason(), seen.metricsMessage());
            limited = Conditions.of(
                    Conditions.SCALING_LIMITED,
                    seen.limit() != Decision.Limit.NONE,
                    seen.limit().conditionReason(),
                    seen.limitMessage());
        }
        status.setConditions(Conditions.merge(
                previous.getConditions(),
                List.of(ReadyCondition.of(deployment, draining(status)), metrics, limited),
                generation(resource),
                now));
        return status;
    }

    /** Status of a resource whose spec failed validation or whose reconcile failed. */
    static SpeechServiceStatus failed(SpeechService resource, String reason, String message, Instant now) {
        SpeechServiceStatus previous = previous(resource);
        SpeechServiceStatus status = base(resource, previous);
        status.setConditions(Conditions.merge(
                previous.getConditions(),
                List.of(
                        Conditions.of(Conditions.READY, false, reason, message),
                        carried(previous, Conditions.METRICS_AVAILABLE),
                        carried(previous, Conditions.SCALING_LIMITED)),
                generation(resource),
                now));
        return status;
    }

    private static int draining(SpeechServiceStatus status) {
        return status.getDrainingReplicas() == null ? 0 : status.getDrainingReplicas();
    }

    private static SpeechServiceStatus previous(SpeechService resource) {
        return resource.getStatus() == null ? new SpeechServiceStatus() : resource.getStatus();
    }

    /** A copy of the previous status with the current generation. */
    private static SpeechServiceStatus base(SpeechService resource, SpeechServiceStatus previous) {
        SpeechServiceStatus status = new SpeechServiceStatus();
        status.setObservedGeneration(generation(resource));
        status.setReplicas(previous.getReplicas());
        status.setReadyReplicas(previous.getReadyReplicas());
        status.setDesiredReplicas(previous.getDesiredReplicas());
        status.setActiveSessions(previous.getActiveSessions());
        status.setCapacity(previous.getCapacity());
        status.setLastScaleTime(previous.getLastScaleTime());
        status.setDrainingReplicas(previous.getDrainingReplicas());
        status.setDrainingPods(previous.getDrainingPods());
        return status;
    }

    /** The previous condition of a type without its timestamps, or Unknown before the first poll. */
    private static Condition carried(SpeechServiceStatus previous, String type) {
        Condition old = Conditions.find(previous.getConditions(), type);
        if (old == null) {
            return Conditions.of(type, "Unknown", "AwaitingFirstPoll", "the autoscaler has not polled the pods yet");
        }
        return Conditions.of(type, old.getStatus(), old.getReason(), old.getMessage());
    }

    private static long generation(SpeechService resource) {
        return Optional.ofNullable(resource.getMetadata().getGeneration()).orElse(0L);
    }

    private static String stamp(Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }
}

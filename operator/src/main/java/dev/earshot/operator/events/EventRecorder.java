package dev.earshot.operator.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes core/v1 Events about a resource, so {@code kubectl describe speechservice} tells users
 * what the operator did and why. An Event is a courtesy: failing to write one is logged and never
 * fails the caller.
 */
public final class EventRecorder {

    private static final System.Logger LOG = System.getLogger(EventRecorder.class.getName());
    /** Component name in the Event's source. */
    public static final String COMPONENT = "earshot-operator";

    private final KubernetesClient client;
    private final Clock clock;
    private final String instance;
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param client API client
     * @param clock time source for the Event timestamps
     * @param instance identity of this operator replica (reportingInstance)
     */
    public EventRecorder(KubernetesClient client, Clock clock, String instance) {
        this.client = client;
        this.clock = clock;
        this.instance = instance;
    }

    /** Records a Normal event. */
    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    /** Records a Warning event. */
    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        String namespace = about.getMetadata().getNamespace();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(about.getMetadata().getName() + "." + Long.toHexString(System.currentTimeMillis())
                        + Long.toHexString(sequence.incrementAndGet()))
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(about.getApiVersion())
                        .withKind(about.getKind())
                        .withName(about.getMetadata().getName())
                        .withNamespace(namespace)
                        .withUid(about.getMetadata().getUid())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
            LOG.log(
                    System.Logger.Level.INFO,
                    "event {0} {1} on {2}/{3}: {4}",
                    type,
                    reason,
                    namespace,
                    about.getMetadata().getName(),
                    message);
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "could not record event {0} on {1}/{2}: {3}",
                    reason,
                    namespace,
                    about.getMetadata().getName(),
                    e.toString());
        }
    }
}

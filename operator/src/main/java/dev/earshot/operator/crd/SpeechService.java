package dev.earshot.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One Earshot gateway installation: the user states the image and the session targets, the
 * operator owns the Deployment, Service and PodDisruptionBudget, and the autoscaler owns the replica
 * count. The CRD YAML under {@code crds/} is generated from this class and its spec/status types.
 */
@Group(SpeechService.GROUP)
@Version(SpeechService.VERSION)
@Kind("SpeechService")
@Plural("speechservices")
@Singular("speechservice")
@AdditionalPrinterColumn(
        name = "Desired",
        jsonPath = ".status.desiredReplicas",
        type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Replicas the autoscaler wants")
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.readyReplicas",
        type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Pods ready to take sessions")
@AdditionalPrinterColumn(
        name = "Draining",
        jsonPath = ".status.drainingReplicas",
        type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Pods draining before their removal")
@AdditionalPrinterColumn(
        name = "Sessions",
        jsonPath = ".status.activeSessions",
        type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Live sessions at the last poll")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class SpeechService extends CustomResource<SpeechServiceSpec, SpeechServiceStatus> implements Namespaced {

    public static final String GROUP = "earshot.dev";
    public static final String VERSION = "v1alpha1";
    /** Name of the CRD, also the base name of the generated YAML file. */
    public static final String CRD_NAME = "speechservices." + GROUP;

    @Override
    protected SpeechServiceSpec initSpec() {
        return new SpeechServiceSpec();
    }

    @Override
    protected SpeechServiceStatus initStatus() {
        return new SpeechServiceStatus();
    }
}

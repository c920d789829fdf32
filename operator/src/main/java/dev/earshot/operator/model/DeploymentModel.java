package dev.earshot.operator.model;

import dev.earshot.operator.crd.SpeechService;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Deployment that runs {@code earshot serve} for one SpeechService. Pure function of
 * (owner, config, replicas): the caller decides the replica count, because it belongs to the
 * autoscaler and must survive spec changes.
 *
 * <p>Shutdown is the part that protects users: Kubernetes first runs the preStop pause (while the
 * endpoints controller takes the pod out of the Service, so no new sessions arrive), then sends
 * SIGTERM, and the service drains its live sessions for {@code drainSeconds}. The grace period
 * covers the pause, the drain and a margin, so a pod is not killed mid-drain.
 *
 * <p>A spec without {@code resources} gets {@link DefaultResources} for its {@link Recognizer},
 * and, when that is Sphinx4 with no {@code ASR_POOL__SIZE} of the user's, the decoder count those
 * resources were sized for: otherwise the pod would start one decoder per core of its node.
 *
 * <p>{@code spec.auth} adds its environment variables and its read-only Secret and ConfigMap
 * volumes through {@link AuthModel}, the only place that knows about them.
 */
public final class DeploymentModel {

    /** Name of the Earshot container. */
    public static final String CONTAINER = "earshot";
    /** Name of the HTTP/WebSocket port; probes and the Service refer to it by name. */
    public static final String PORT_NAME = "http";
    /** Name of the admin port (health, metrics); the probes refer to it by name. */
    public static final String ADMIN_PORT_NAME = "admin";

    public static final String READY_PATH = "/observe/health/ready";
    public static final String LIVE_PATH = "/observe/health/live";
    /** Seconds the preStop hook waits before SIGTERM, for endpoint removal to propagate. */
    public static final long PRE_STOP_PAUSE_SECONDS = 5;
    /** Seconds of slack after the drain before the kubelet sends SIGKILL. */
    public static final int GRACE_MARGIN_SECONDS = 10;

    private DeploymentModel() {}

    /**
     * The desired Deployment.
     *
     * @param owner the SpeechService (name, namespace, uid)
     * @param config its validated spec
     * @param replicas replica count chosen by the caller
     * @return a new Deployment object
     */
    public static Deployment build(SpeechService owner, SpeechServiceConfig config, int replicas) {
        return new DeploymentBuilder()
                .withMetadata(Owners.metadata(owner))
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(Labels.selector(owner))
                .endSelector()
                .withNewStrategy()
                .withType("RollingUpdate")
                // Never take capacity away during a rollout: add a pod, then drain an old one.
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString("25%"))
                .withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Labels.all(owner))
                .withAnnotations(scrapeAnnotations(config))
                .endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(terminationGracePeriodSeconds(config))
                // Service links would inject e.g. RIVA_PORT for a Service named "riva", and Helidon
                // reads env vars as config keys.
                .withEnableServiceLinks(false)
                // The gateway never calls the Kubernetes API; a mounted token would only be a
                // credential for whoever gets code running in the pod.
                .withAutomountServiceAccountToken(false)
                // Least privilege: the image runs as a non-root user and writes nothing but /tmp.
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewVolume()
                .withName(TMP_VOLUME)
                .withNewEmptyDir()
                .withMedium("")
                .withSizeLimit(new Quantity(TMP_SIZE_LIMIT))
                .endEmptyDir()
                .endVolume()
                .addAllToVolumes(AuthModel.volumes(config.auth()))
                .withContainers(container(config))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * Prometheus' conventional pod annotations: scrape the admin port's {@code /observe/metrics}
     * (the public port does not serve it).
     */
    static Map<String, String> scrapeAnnotations(SpeechServiceConfig config) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("prometheus.io/scrape", "true");
        annotations.put("prometheus.io/port", Integer.toString(config.adminPort()));
        annotations.put("prometheus.io/path", "/observe/metrics");
        return annotations;
    }

    /** Pause + drain + margin: how long Kubernetes waits before killing a terminating pod. */
    public static long terminationGracePeriodSeconds(SpeechServiceConfig config) {
        return PRE_STOP_PAUSE_SECONDS + config.drainSeconds() + GRACE_MARGIN_SECONDS;
    }

    /** A writable /tmp for the JVM on an otherwise read-only root file system. */
    static final String TMP_VOLUME = "tmp";

    /**
     * Ceiling of /tmp. The JVM writes no perf data there (the image sets -XX:-UsePerfData); what
     * lands in it is native libraries unpacked at start (a few MB) and whatever a user's JVM flags
     * add, such as a JFR recording. Past the ceiling the kubelet evicts the pod, which bounds what
     * a runaway writer can take from the node's disk.
     */
    public static final String TMP_SIZE_LIMIT = "128Mi";

    private static Container container(SpeechServiceConfig config) {
        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(config.image())
                .withArgs("serve")
                .addNewPort()
                .withName(PORT_NAME)
                .withContainerPort(config.port())
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName(ADMIN_PORT_NAME)
                .withContainerPort(config.adminPort())
                .withProtocol("TCP")
                .endPort()
                .withEnv(env(config))
                .withReadinessProbe(probe(READY_PATH, 5, 3))
                .withLivenessProbe(probe(LIVE_PATH, 10, 3))
                // The embedded recognizer loads its model at startup; give it up to two minutes before
                // liveness starts counting.
                .withStartupProbe(probe(LIVE_PATH, 2, 60))
                .withNewLifecycle()
                .withNewPreStop()
                .withNewSleep(PRE_STOP_PAUSE_SECONDS)
                .endPreStop()
                .endLifecycle()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount()
                .withName(TMP_VOLUME)
                .withMountPath("/tmp")
                .endVolumeMount()
                .addAllToVolumeMounts(AuthModel.volumeMounts(config.auth()));
        container.withResources(resources(config));
        return container.build();
    }

    /** The spec's resources, or the defaults when it sets none. */
    static ResourceRequirements resources(SpeechServiceConfig config) {
        return DefaultResources.isUnset(config.resources())
                ? DefaultResources.of(config.maxSessionsPerReplica(), Recognizer.of(config))
                : config.resources();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(new IntOrString(ADMIN_PORT_NAME))
                .endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /**
     * Service settings as environment variables (Helidon maps {@code _} to {@code .} and {@code __}
     * to {@code -}), then the user's variables; a user variable with the same name replaces ours.
     */
    static List<EnvVar> env(SpeechServiceConfig config) {
        Map<String, EnvVar> env = new LinkedHashMap<>();
        put(env, plain("SERVER_PORT", Integer.toString(config.port())));
        put(env, plain("SERVER_ADMIN__PORT", Integer.toString(config.adminPort())));
        put(env, plain("SESSIONS_MAX", Integer.toString(config.maxSessionsPerReplica())));
        put(env, plain("SERVER_DRAIN__SECONDS", Integer.toString(config.drainSeconds())));
        SpeechServiceConfig.RivaConfig riva = config.riva();
        if (!riva.embedded()) {
            put(env, plain("RIVA_ENDPOINT", riva.endpoint()));
            put(env, plain("RIVA_TLS", Boolean.toString(riva.tls())));
        }
        if (!riva.functionId().isEmpty()) {
            put(env, plain("RIVA_FUNCTION__ID", riva.functionId()));
        }
        riva.apiKeySecret()
                .ifPresent(secret -> put(
                        env,
                        new EnvVarBuilder()
                                .withName("RIVA_API__KEY")
                                .withNewValueFrom()
                                .withNewSecretKeyRef()
                                .withName(secret.name())
                                .withKey(secret.key())
                                .endSecretKeyRef()
                                .endValueFrom()
                                .build()));
        if (!riva.allowedModels().isEmpty()) {
            put(env, plain("RIVA_ALLOWED__MODELS", String.join(",", riva.allowedModels())));
        }
        AuthModel.env(config.auth()).forEach(var -> put(env, var));
        Recognizer recognizer = Recognizer.of(config);
        if (recognizer.engine() == Recognizer.Engine.SPHINX4
                && !recognizer.poolSizeFromUser()
                && DefaultResources.isUnset(config.resources())) {
            put(env, plain(Recognizer.POOL_SIZE_ENV, Integer.toString(recognizer.decoders())));
        }
        for (EnvVar user : config.env()) {
            env.remove(user.getName());
            put(env, new EnvVarBuilder(user).build());
        }
        return new ArrayList<>(env.values());
    }

    private static EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static void put(Map<String, EnvVar> env, EnvVar var) {
        env.put(var.getName(), var);
    }
}

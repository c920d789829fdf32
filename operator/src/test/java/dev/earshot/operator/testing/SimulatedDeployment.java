package dev.earshot.operator.testing;

import dev.earshot.operator.autoscale.DeletionCost;
import dev.earshot.operator.autoscale.PodAdminUrl;
import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.model.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the CRUD mock API server lacks for one SpeechService's Deployment: the Deployment
 * controller, its ReplicaSets and the kubelet, each pod a real {@code earshot serve} process on
 * loopback. It is as strict as Kubernetes where the operator's correctness depends on it:
 *
 * <ul>
 *   <li>Scaling down, the ReplicaSet removes pods that have not started first, then pods that are
 *       not Ready, then the lowest {@code pod-deletion-cost}, then the newest (the upstream
 *       ranking, short of node placement and restarts).</li>
 *   <li>A new pod template rolls out with the Deployment's own {@code maxSurge} and
 *       {@code maxUnavailable}: a new pod starts, and an old one is stopped only while enough
 *       others are Ready.</li>
 *   <li>A pod removed or stopped disappears from the API at once (the operator ignores
 *       terminating pods anyway) and its process gets SIGTERM; it runs until it exits, or until
 *       the Deployment's {@code terminationGracePeriodSeconds} have passed, then SIGKILL.</li>
 *   <li>The kubelet sets the Ready condition from the gateway's readiness endpoint (which a test
 *       can override, as a Riva health check that flaps would), and the process gets the
 *       Deployment's {@code SESSIONS_MAX} and {@code SERVER_DRAIN__SECONDS}.</li>
 * </ul>
 *
 * The test points the autoscaler's admin URLs at {@link #adminUri}.
 */
public final class SimulatedDeployment implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SimulatedDeployment.class.getName());

    private final KubernetesClient client;
    private final SpeechService owner;
    private final String namespace;
    private final String name;
    private final Map<String, SimPod> live = new ConcurrentHashMap<>();
    private final List<SimPod> terminating = new ArrayList<>();
    private final Set<String> probeFails = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();
    /** Fewest running pods left right after a rollout stopped an old one. */
    private volatile int fewestRunningAfterRolloutStop = Integer.MAX_VALUE;

    private final ScheduledExecutorService loop;

    /** A pod and, once it has started, its process. */
    private static final class SimPod {
        final String name;
        final String template;
        final int sequence;
        volatile EarshotProcess process;
        volatile boolean stopped;
        long killAt;

        SimPod(String name, String template, int sequence) {
            this.name = name;
            this.template = template;
            this.sequence = sequence;
        }

        boolean started() {
            return process != null;
        }
    }

    private SimulatedDeployment(KubernetesClient client, SpeechService owner) {
        this.client = client;
        this.owner = owner;
        this.namespace = owner.getMetadata().getNamespace();
        this.name = owner.getMetadata().getName();
        this.loop = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("simulated-" + name).daemon(true).factory());
    }

    /** Starts simulating the Deployment of {@code owner} (which need not exist yet). */
    public static SimulatedDeployment start(KubernetesClient client, SpeechService owner) {
        SimulatedDeployment sim = new SimulatedDeployment(client, owner);
        sim.loop.scheduleWithFixedDelay(sim::tick, 0, 100, TimeUnit.MILLISECONDS);
        return sim;
    }

    /** The admin listener of a pod's process, for the autoscaler. */
    public URI adminUri(String pod) {
        SimPod p = live.get(pod);
        if (p == null || p.process == null) {
            return URI.create("http://127.0.0.1:1"); // a pod that has not started answers nothing
        }
        return p.process.adminUri();
    }

    /** The process of a live pod. */
    public EarshotProcess process(String pod) {
        SimPod p = Objects.requireNonNull(live.get(pod), () -> "no live pod " + pod);
        return Objects.requireNonNull(p.process, () -> pod + " has not started");
    }

    /** Names of the pods that run and are not being stopped, oldest first. */
    public List<String> runningPods() {
        return live.values().stream()
                .filter(SimPod::started)
                .sorted(Comparator.comparingInt(p -> p.sequence))
                .map(p -> p.name)
                .toList();
    }

    /** Names of the live pods (started or not), oldest first. */
    public List<String> pods() {
        return live.values().stream()
                .sorted(Comparator.comparingInt(p -> p.sequence))
                .map(p -> p.name)
                .toList();
    }

    /** The image the pod was started with. */
    public String image(String pod) {
        return Optional.ofNullable(
                        client.pods().inNamespace(namespace).withName(pod).get())
                .map(p -> p.getSpec().getContainers().get(0).getImage())
                .orElse(null);
    }

    /** How many processes were stopped but still run (draining their sessions). */
    public synchronized int stillStopping() {
        return terminating.size();
    }

    /**
     * The fewest running pods left right after a rollout stopped an old pod, or
     * {@link Integer#MAX_VALUE} if no rollout stopped one. With {@code maxUnavailable: 0} an old
     * pod is stopped only once a new one is Ready, so this never falls below the replica count.
     */
    public int fewestRunningAfterRolloutStop() {
        return fewestRunningAfterRolloutStop;
    }

    /** Makes the kubelet report {@code pod} not Ready while its process goes on serving. */
    public void failReadinessProbe(String pod) {
        probeFails.add(pod);
    }

    private void tick() {
        try {
            Deployment deployment = client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName(name)
                    .get();
            reapStopped();
            if (deployment == null) {
                return;
            }
            kubelet();
            controller(deployment);
            status(deployment);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "simulated deployment " + name + ": " + e);
        }
    }

    /** Forgets stopped processes that exited; kills those past their grace period. */
    private synchronized void reapStopped() {
        long now = System.nanoTime();
        terminating.removeIf(p -> {
            if (p.process == null || !p.process.alive()) {
                if (p.process != null) {
                    p.process.close();
                }
                return true;
            }
            if (now - p.killAt > 0) {
                p.process.kill();
            }
            return false;
        });
    }

    /** Ready condition from the readiness endpoint (unless a test fails the probe). */
    private void kubelet() {
        for (SimPod p : live.values()) {
            if (!p.started()) {
                continue;
            }
            if (!p.process.alive()) {
                stop(p, 0); // a crashed pod
                continue;
            }
            boolean ready = !probeFails.contains(p.name) && p.process.ready();
            Pod pod = client.pods().inNamespace(namespace).withName(p.name).get();
            if (pod == null || pod.getStatus() == null) {
                continue;
            }
            boolean wasReady = pod.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            if (ready != wasReady) {
                pod.getStatus().setConditions(List.of(condition(ready)));
                client.pods().resource(pod).updateStatus();
            }
        }
    }

    /** ReplicaSet and rollout: start and stop pods. */
    private void controller(Deployment deployment) {
        int replicas = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
        String template = hash(deployment);
        List<SimPod> current =
                live.values().stream().filter(p -> p.template.equals(template)).toList();
        List<SimPod> old =
                live.values().stream().filter(p -> !p.template.equals(template)).toList();
        long grace = Optional.ofNullable(
                        deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .orElse(30L);
        if (old.isEmpty()) {
            if (current.size() < replicas) {
                create(deployment, template);
            } else if (current.size() > replicas) {
                current.stream().min(removalOrder()).ifPresent(p -> stop(p, grace));
            }
            return;
        }
        RollingUpdateDeployment rolling = deployment.getSpec().getStrategy().getRollingUpdate();
        int surge = resolve(rolling.getMaxSurge(), replicas, true);
        int unavailable = resolve(rolling.getMaxUnavailable(), replicas, false);
        if (current.size() < replicas && live.size() < replicas + surge) {
            create(deployment, template);
            return;
        }
        long ready = live.values().stream().filter(this::ready).count();
        if (ready - 1 >= replicas - unavailable || live.size() > replicas + surge) {
            old.stream().min(removalOrder()).ifPresent(p -> {
                stop(p, grace);
                int running =
                        (int) live.values().stream().filter(SimPod::started).count();
                fewestRunningAfterRolloutStop = Math.min(fewestRunningAfterRolloutStop, running);
            });
        }
    }

    /** The Deployment's status as the Deployment controller would write it. */
    private void status(Deployment deployment) {
        String template = hash(deployment);
        int replicas = live.size();
        int updated = (int)
                live.values().stream().filter(p -> p.template.equals(template)).count();
        int ready = (int) live.values().stream().filter(this::ready).count();
        var status = deployment.getStatus();
        if (status != null
                && Objects.equals(status.getReplicas(), replicas)
                && Objects.equals(status.getUpdatedReplicas(), updated)
                && Objects.equals(status.getReadyReplicas(), ready)
                && Objects.equals(
                        status.getObservedGeneration(), deployment.getMetadata().getGeneration())) {
            return;
        }
        client.apps().deployments().inNamespace(namespace).withName(name).editStatus(d -> {
            d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                    .withReplicas(replicas)
                    .withUpdatedReplicas(updated)
                    .withReadyReplicas(ready)
                    .withAvailableReplicas(ready)
                    .withObservedGeneration(d.getMetadata().getGeneration())
                    .build());
            return d;
        });
    }

    private boolean ready(SimPod p) {
        if (!p.started()) {
            return false;
        }
        Pod pod = client.pods().inNamespace(namespace).withName(p.name).get();
        return pod != null
                && pod.getStatus() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /**
     * The ReplicaSet's order for removing pods: not started, then not Ready, then lowest
     * deletion cost, then newest.
     */
    private Comparator<SimPod> removalOrder() {
        return Comparator.<SimPod, Boolean>comparing(SimPod::started)
                .thenComparing(this::ready)
                .thenComparingLong(this::deletionCost)
                .thenComparing(Comparator.<SimPod>comparingInt(p -> p.sequence).reversed());
    }

    private long deletionCost(SimPod p) {
        Pod pod = client.pods().inNamespace(namespace).withName(p.name).get();
        String cost = pod == null ? null : DeletionCost.of(pod);
        return cost == null ? 0 : Long.parseLong(cost);
    }

    /** Creates a Pending pod and starts its process; the pod runs once the process is ready. */
    private void create(Deployment deployment, String template) {
        int seq = sequence.incrementAndGet();
        String podName = name + "-" + template.substring(0, 6) + "-" + seq;
        SimPod p = new SimPod(podName, template, seq);
        live.put(podName, p);
        Container container =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(podName)
                .withNamespace(namespace)
                .withLabels(Labels.all(owner))
                .addToLabels("pod-template-hash", template)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(container.getName())
                .withImage(container.getImage())
                .endContainer()
                .endSpec()
                .build();
        Pod created = client.pods().resource(pod).create();
        created.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                .withPhase("Pending")
                .build());
        client.pods().resource(created).updateStatus();
        int maxSessions = Integer.parseInt(env(container, "SESSIONS_MAX", "150"));
        long drainSeconds = Long.parseLong(env(container, "SERVER_DRAIN__SECONDS", "30"));
        Thread.ofVirtual().start(() -> {
            EarshotProcess process;
            try {
                process = EarshotProcess.start(maxSessions, drainSeconds);
            } catch (IOException | InterruptedException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "pod " + podName + " did not start: " + e);
                return;
            }
            synchronized (this) {
                p.process = process;
                if (p.stopped) {
                    process.kill();
                    return;
                }
            }
            try {
                Conflicts.retry(() -> client.pods()
                        .inNamespace(namespace)
                        .withName(podName)
                        .editStatus(running -> {
                            running.getStatus().setPhase("Running");
                            running.getStatus().setPodIP("127.0.0.1");
                            running.getStatus().setConditions(List.of(condition(false)));
                            return running;
                        }));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "pod " + podName + " could not be marked running: " + e);
                return;
            }
            LOG.log(System.Logger.Level.INFO, "pod " + podName + " runs, admin " + process.adminUri());
        });
    }

    /** Deletes the pod and sends its process SIGTERM; SIGKILL after the grace period. */
    private synchronized void stop(SimPod p, long graceSeconds) {
        live.remove(p.name);
        client.pods().inNamespace(namespace).withName(p.name).delete();
        p.stopped = true;
        if (p.process != null) {
            p.process.terminate();
            p.killAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
            terminating.add(p);
        }
        LOG.log(System.Logger.Level.INFO, "pod " + p.name + " stopped (SIGTERM)");
    }

    private static PodCondition condition(boolean ready) {
        return new PodConditionBuilder()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .build();
    }

    private static String env(Container container, String name, String fallback) {
        return container.getEnv().stream()
                .filter(e -> name.equals(e.getName()))
                .map(EnvVar::getValue)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(fallback);
    }

    private static int resolve(IntOrString value, int replicas, boolean roundUp) {
        if (value == null) {
            return roundUp ? 1 : 0;
        }
        if (value.getStrVal() == null) {
            return value.getIntVal();
        }
        double percent = Double.parseDouble(value.getStrVal().replace("%", "")) / 100 * replicas;
        return (int) (roundUp ? Math.ceil(percent) : Math.floor(percent));
    }

    /** A short hash of the pod template, as {@code pod-template-hash}. */
    private String hash(Deployment deployment) {
        try {
            byte[] json = client.getKubernetesSerialization()
                    .asJson(deployment.getSpec().getTemplate())
                    .getBytes(StandardCharsets.UTF_8);
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(json))
                    .substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kills every process at once. */
    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            live.values().forEach(p -> {
                p.stopped = true;
                if (p.process != null) {
                    p.process.close();
                }
            });
            terminating.forEach(p -> p.process.close());
        }
    }

    /** The metrics URL of a pod, for tests that read it. */
    public URI metricsUri(String pod) {
        return PodAdminUrl.resolve(adminUri(pod), PodAdminUrl.METRICS_PATH);
    }
}

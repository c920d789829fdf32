package dev.earshot.operator.model;

import dev.earshot.operator.crd.Replicas;
import dev.earshot.operator.crd.Riva;
import dev.earshot.operator.crd.Scaling;
import dev.earshot.operator.crd.Sessions;
import dev.earshot.operator.crd.SpeechServiceSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated, immutable form of a {@link SpeechServiceSpec}. The wire type is mutable and may
 * hold nulls; everything past validation (model classes, the autoscaler) works on this record, so
 * defaults and checks live in one place. The API server enforces the same rules through the CRD
 * schema, but an operator must not trust that: a CRD can be older than the operator, and a bad
 * resource has to end in a clear condition instead of a crash loop.
 *
 * @param image container image of the Earshot service
 * @param minReplicas fewest pods
 * @param maxReplicas most pods
 * @param targetSessionsPerReplica autoscaling target
 * @param maxSessionsPerReplica hard per-pod limit (the pods' {@code sessions.max})
 * @param scaling autoscaler timing
 * @param riva recognizer endpoint settings
 * @param drainSeconds seconds a terminating pod gets to finish its sessions
 * @param resources container resources, or null for none
 * @param env the user's extra environment variables
 * @param port HTTP/WebSocket port of the service
 * @param adminPort the pods' admin port: health, metrics ({@code server.admin-port})
 * @param networkPolicy whether the operator keeps a NetworkPolicy for the pods
 * @param auth who may use the pods ({@link AuthConfig}); empty when the spec leaves it to the pods
 */
public record SpeechServiceConfig(
        String image,
        int minReplicas,
        int maxReplicas,
        int targetSessionsPerReplica,
        int maxSessionsPerReplica,
        ScalingConfig scaling,
        RivaConfig riva,
        int drainSeconds,
        ResourceRequirements resources,
        List<EnvVar> env,
        int port,
        int adminPort,
        boolean networkPolicy,
        Optional<AuthConfig> auth) {

    public SpeechServiceConfig {
        env = List.copyOf(env);
    }

    /**
     * Autoscaler timing.
     *
     * @param poll time between two polls
     * @param tolerance relative deviation from the target that causes no change
     * @param scaleUpStabilization window whose lowest recommendation bounds a scale-up
     * @param scaleDownStabilization window whose highest recommendation bounds a scale-down
     */
    public record ScalingConfig(
            Duration poll, double tolerance, Duration scaleUpStabilization, Duration scaleDownStabilization) {}

    /**
     * Recognizer endpoint; an empty endpoint means the embedded recognizer.
     *
     * @param endpoint host:port, or empty
     * @param tls whether to use TLS towards the endpoint
     * @param functionId NVCF function id, or empty
     * @param apiKeySecret Secret name and key holding the API key, if any
     * @param allowedModels the models clients may ask for ({@code riva.allowed-models}); empty: any
     */
    public record RivaConfig(
            String endpoint,
            boolean tls,
            String functionId,
            Optional<SecretKey> apiKeySecret,
            List<String> allowedModels) {

        public RivaConfig {
            allowedModels = List.copyOf(allowedModels);
        }

        public boolean embedded() {
            return endpoint.isEmpty();
        }
    }

    /**
     * A key in a Secret.
     *
     * @param name Secret name
     * @param key key within the Secret
     */
    public record SecretKey(String name, String key) {}

    /** Result of {@link #from(SpeechServiceSpec)}: a usable config or the list of what is wrong. */
    public sealed interface Validation permits Valid, Invalid {}

    /**
     * A spec that passed every check.
     *
     * @param config the config
     */
    public record Valid(SpeechServiceConfig config) implements Validation {}

    /**
     * A spec with at least one problem; each problem names the field.
     *
     * @param problems human-readable problems, one per broken rule
     */
    public record Invalid(List<String> problems) implements Validation {

        public Invalid {
            problems = List.copyOf(problems);
        }

        /** All problems in one line, for a condition message or an Event. */
        public String message() {
            return String.join("; ", problems);
        }
    }

    /**
     * Checks a spec and fills in defaults.
     *
     * @param spec the spec as read from the API server (may be null)
     * @return the config, or every problem found
     */
    public static Validation from(SpeechServiceSpec spec) {
        if (spec == null) {
            return new Invalid(List.of("spec is missing"));
        }
        List<String> problems = new ArrayList<>();
        String image = spec.getImage() == null ? "" : spec.getImage().trim();
        if (image.isEmpty()) {
            problems.add("spec.image is required");
        }

        Replicas replicas = Objects.requireNonNullElseGet(spec.getReplicas(), Replicas::new);
        int min = or(replicas.getMin(), 1);
        int max = or(replicas.getMax(), 10);
        if (min < 1) {
            problems.add("replicas.min must be at least 1 (got " + min + ")");
        }
        if (max < min) {
            problems.add("replicas.max (" + max + ") must not be below replicas.min (" + min + ")");
        }

        Sessions sessions = Objects.requireNonNullElseGet(spec.getSessions(), Sessions::new);
        int target = or(sessions.getTargetPerReplica(), 100);
        int hardMax = or(sessions.getMaxPerReplica(), 150);
        if (target < 1) {
            problems.add("sessions.targetPerReplica must be at least 1 (got " + target + ")");
        }
        if (hardMax < 1) {
            problems.add("sessions.maxPerReplica must be at least 1 (got " + hardMax + ")");
        }
        if (target > hardMax) {
            problems.add("sessions.targetPerReplica (" + target + ") must not exceed sessions.maxPerReplica (" + hardMax
                    + ")");
        }

        Scaling scaling = Objects.requireNonNullElseGet(spec.getScaling(), Scaling::new);
        int poll = or(scaling.getPollSeconds(), 15);
        double tolerance = scaling.getTolerance() == null ? 0.1 : scaling.getTolerance();
        int up = or(scaling.getScaleUpStabilizationSeconds(), 0);
        int down = or(scaling.getScaleDownStabilizationSeconds(), 300);
        if (poll < 1 || poll > 3600) {
            problems.add("scaling.pollSeconds must be within 1..3600 (got " + poll + ")");
        }
        if (!(tolerance >= 0 && tolerance < 1)) {
            problems.add("scaling.tolerance must be within [0, 1) (got " + tolerance + ")");
        }
        if (up < 0 || up > 3600) {
            problems.add("scaling.scaleUpStabilizationSeconds must be within 0..3600 (got " + up + ")");
        }
        if (down < 0 || down > 3600) {
            problems.add("scaling.scaleDownStabilizationSeconds must be within 0..3600 (got " + down + ")");
        }

        Riva riva = Objects.requireNonNullElseGet(spec.getRiva(), Riva::new);
        Optional<SecretKey> apiKey = Optional.empty();
        if (riva.getApiKeySecretRef() != null) {
            String name = blankToEmpty(riva.getApiKeySecretRef().getName());
            String key = blankToEmpty(riva.getApiKeySecretRef().getKey());
            if (name.isEmpty() || key.isEmpty()) {
                problems.add("riva.apiKeySecretRef needs both name and key");
            } else {
                apiKey = Optional.of(new SecretKey(name, key));
            }
        }
        List<String> allowedModels = new ArrayList<>();
        for (String model : riva.getAllowedModels() == null ? List.<String>of() : riva.getAllowedModels()) {
            String name = blankToEmpty(model);
            if (name.isEmpty() || name.contains(",")) {
                problems.add("riva.allowedModels entries must be model names without commas (got \"" + model + "\")");
            } else {
                allowedModels.add(name);
            }
        }

        int drain = or(spec.getDrainSeconds(), 60);
        if (drain < 0 || drain > 3600) {
            problems.add("drainSeconds must be within 0..3600 (got " + drain + ")");
        }
        int port = or(spec.getPort(), 8080);
        if (port < 1 || port > 65535) {
            problems.add("port must be within 1..65535 (got " + port + ")");
        }
        int adminPort = or(spec.getAdminPort(), 9090);
        if (adminPort < 1 || adminPort > 65535) {
            problems.add("adminPort must be within 1..65535 (got " + adminPort + ")");
        } else if (adminPort == port) {
            problems.add("adminPort must differ from port (both " + port + ")");
        }
        List<EnvVar> env = spec.getEnv() == null ? List.of() : spec.getEnv();
        for (EnvVar var : env) {
            if (var == null || blankToEmpty(var.getName()).isEmpty()) {
                problems.add("env entries need a name");
                break;
            }
        }

        Optional<AuthConfig> auth = AuthConfig.from(spec.getAuth(), problems);

        if (!problems.isEmpty()) {
            return new Invalid(problems);
        }
        return new Valid(new SpeechServiceConfig(
                image,
                min,
                max,
                target,
                hardMax,
                new ScalingConfig(
                        Duration.ofSeconds(poll), tolerance, Duration.ofSeconds(up), Duration.ofSeconds(down)),
                new RivaConfig(
                        blankToEmpty(riva.getEndpoint()),
                        Boolean.TRUE.equals(riva.getTls()),
                        blankToEmpty(riva.getFunctionId()),
                        apiKey,
                        allowedModels),
                drain,
                spec.getResources(),
                env,
                port,
                adminPort,
                spec.getNetworkPolicy() != null
                        && Boolean.TRUE.equals(spec.getNetworkPolicy().getEnabled()),
                auth));
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.trim();
    }
}

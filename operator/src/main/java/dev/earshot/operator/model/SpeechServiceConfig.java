package dev.earshot.operator.model;

import dev.earshot.operator.crd.NetworkPolicySpec;
import dev.earshot.operator.crd.Replicas;
import dev.earshot.operator.crd.Riva;
import dev.earshot.operator.crd.Scaling;
import dev.earshot.operator.crd.Sessions;
import dev.earshot.operator.crd.SpeechServiceSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Duration;
import java.time.format.DateTimeParseException;
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
     * @param maxDraining most pods draining at once
     * @param drainTimeout longest drain before a pod is removed with its sessions
     */
    public record ScalingConfig(
            Duration poll,
            double tolerance,
            Duration scaleUpStabilization,
            Duration scaleDownStabilization,
            int maxDraining,
            Duration drainTimeout) {

        /** {@code spec.scaling} with its defaults; each problem found goes to {@code problems}. */
        static ScalingConfig from(Scaling scaling, List<String> problems) {
            Scaling s = Objects.requireNonNullElseGet(scaling, Scaling::new);
            int poll = within(
                    "scaling.pollSeconds",
                    or(s.getPollSeconds(), Scaling.DEFAULT_POLL_SECONDS),
                    1,
                    Scaling.MAX_SECONDS,
                    problems);
            double tolerance = s.getTolerance() == null ? Scaling.DEFAULT_TOLERANCE : s.getTolerance();
            if (!(tolerance >= 0 && tolerance < 1)) {
                problems.add("scaling.tolerance must be within [0, 1) (got " + tolerance + ")");
            }
            int up = within(
                    "scaling.scaleUpStabilizationSeconds",
                    or(s.getScaleUpStabilizationSeconds(), Scaling.DEFAULT_SCALE_UP_STABILIZATION_SECONDS),
                    0,
                    Scaling.MAX_SECONDS,
                    problems);
            int down = within(
                    "scaling.scaleDownStabilizationSeconds",
                    or(s.getScaleDownStabilizationSeconds(), Scaling.DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS),
                    0,
                    Scaling.MAX_SECONDS,
                    problems);
            int maxDraining = or(s.getMaxDraining(), Scaling.DEFAULT_MAX_DRAINING);
            if (maxDraining < 1) {
                problems.add("scaling.maxDraining must be at least 1 (got " + maxDraining + ")");
            }
            return new ScalingConfig(
                    Duration.ofSeconds(poll),
                    tolerance,
                    Duration.ofSeconds(up),
                    Duration.ofSeconds(down),
                    maxDraining,
                    drainTimeout(s.getDrainTimeout(), problems));
        }

        private static Duration drainTimeout(String value, List<String> problems) {
            String text = blankToEmpty(value).isEmpty() ? Scaling.DEFAULT_DRAIN_TIMEOUT : value.trim();
            Duration timeout;
            try {
                timeout = Duration.parse(text);
            } catch (DateTimeParseException e) {
                problems.add(
                        "scaling.drainTimeout must be an ISO-8601 duration such as PT1H or PT30M (got " + text + ")");
                return Duration.parse(Scaling.DEFAULT_DRAIN_TIMEOUT);
            }
            if (timeout.isNegative() || timeout.compareTo(Duration.parse(Scaling.MAX_DRAIN_TIMEOUT)) > 0) {
                problems.add("scaling.drainTimeout must be within PT0S.." + Scaling.MAX_DRAIN_TIMEOUT + " (got " + text
                        + ")");
            }
            return timeout;
        }
    }

    /**
     * The pods' {@code server.drain-seconds}: the drain timeout in whole seconds, rounded up, so
     * that a pod sent SIGTERM (in a rollout) may drain as long as one the autoscaler removes.
     */
    public long drainSeconds() {
        Duration timeout = scaling.drainTimeout();
        return timeout.toSeconds() + (timeout.toNanosPart() > 0 ? 1 : 0);
    }

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

        /** {@code spec.riva} with its defaults; each problem found goes to {@code problems}. */
        static RivaConfig from(Riva riva, List<String> problems) {
            Riva r = Objects.requireNonNullElseGet(riva, Riva::new);
            Optional<SecretKey> apiKey = Optional.empty();
            if (r.getApiKeySecretRef() != null) {
                String name = blankToEmpty(r.getApiKeySecretRef().getName());
                String key = blankToEmpty(r.getApiKeySecretRef().getKey());
                if (name.isEmpty() || key.isEmpty()) {
                    problems.add("riva.apiKeySecretRef needs both name and key");
                } else {
                    apiKey = Optional.of(new SecretKey(name, key));
                }
            }
            List<String> allowedModels = new ArrayList<>();
            for (String model : r.getAllowedModels() == null ? List.<String>of() : r.getAllowedModels()) {
                String name = blankToEmpty(model);
                if (name.isEmpty() || name.contains(",")) {
                    problems.add(
                            "riva.allowedModels entries must be model names without commas (got \"" + model + "\")");
                } else {
                    allowedModels.add(name);
                }
            }
            return new RivaConfig(
                    blankToEmpty(r.getEndpoint()),
                    r.getTls() == null ? Riva.DEFAULT_TLS : r.getTls(),
                    blankToEmpty(r.getFunctionId()),
                    apiKey,
                    allowedModels);
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
     * Checks a spec and fills in defaults, part by part; every problem of every part is reported.
     *
     * @param spec the spec as read from the API server (may be null)
     * @return the config, or every problem found
     */
    public static Validation from(SpeechServiceSpec spec) {
        if (spec == null) {
            return new Invalid(List.of("spec is missing"));
        }
        List<String> problems = new ArrayList<>();
        String image = image(spec.getImage(), problems);
        ReplicaBounds replicas = replicas(spec.getReplicas(), problems);
        SessionLimits sessions = sessions(spec.getSessions(), problems);
        ScalingConfig scaling = ScalingConfig.from(spec.getScaling(), problems);
        RivaConfig riva = RivaConfig.from(spec.getRiva(), problems);
        Ports ports = ports(spec.getPort(), spec.getAdminPort(), problems);
        List<EnvVar> env = env(spec.getEnv(), problems);
        boolean networkPolicy =
                spec.getNetworkPolicy() == null || spec.getNetworkPolicy().getEnabled() == null
                        ? NetworkPolicySpec.DEFAULT_ENABLED
                        : spec.getNetworkPolicy().getEnabled();
        Optional<AuthConfig> auth = AuthConfig.from(spec.getAuth(), problems);
        if (!problems.isEmpty()) {
            return new Invalid(problems);
        }
        return new Valid(new SpeechServiceConfig(
                image,
                replicas.min(),
                replicas.max(),
                sessions.target(),
                sessions.max(),
                scaling,
                riva,
                spec.getResources(),
                env,
                ports.service(),
                ports.admin(),
                networkPolicy,
                auth));
    }

    private record ReplicaBounds(int min, int max) {}

    private record SessionLimits(int target, int max) {}

    private record Ports(int service, int admin) {}

    private static String image(String image, List<String> problems) {
        String trimmed = blankToEmpty(image);
        if (trimmed.isEmpty()) {
            problems.add("spec.image is required");
        }
        return trimmed;
    }

    /** {@code replicas.min} and {@code replicas.max}. */
    private static ReplicaBounds replicas(Replicas replicas, List<String> problems) {
        Replicas r = Objects.requireNonNullElseGet(replicas, Replicas::new);
        int min = or(r.getMin(), Replicas.DEFAULT_MIN);
        int max = or(r.getMax(), Replicas.DEFAULT_MAX);
        if (min < 1) {
            problems.add("replicas.min must be at least 1 (got " + min + ")");
        }
        if (max < min) {
            problems.add("replicas.max (" + max + ") must not be below replicas.min (" + min + ")");
        }
        return new ReplicaBounds(min, max);
    }

    /** {@code sessions.targetPerReplica} and {@code sessions.maxPerReplica}. */
    private static SessionLimits sessions(Sessions sessions, List<String> problems) {
        Sessions s = Objects.requireNonNullElseGet(sessions, Sessions::new);
        int target = or(s.getTargetPerReplica(), Sessions.DEFAULT_TARGET_PER_REPLICA);
        int hardMax = or(s.getMaxPerReplica(), Sessions.DEFAULT_MAX_PER_REPLICA);
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
        return new SessionLimits(target, hardMax);
    }

    /** {@code port} and {@code adminPort}, which must differ. */
    private static Ports ports(Integer port, Integer adminPort, List<String> problems) {
        int service = within("port", or(port, SpeechServiceSpec.DEFAULT_PORT), 1, SpeechServiceSpec.MAX_PORT, problems);
        int admin = or(adminPort, SpeechServiceSpec.DEFAULT_ADMIN_PORT);
        if (admin < 1 || admin > SpeechServiceSpec.MAX_PORT) {
            problems.add("adminPort must be within 1.." + SpeechServiceSpec.MAX_PORT + " (got " + admin + ")");
        } else if (admin == service) {
            problems.add("adminPort must differ from port (both " + service + ")");
        }
        return new Ports(service, admin);
    }

    private static List<EnvVar> env(List<EnvVar> env, List<String> problems) {
        List<EnvVar> vars = env == null ? List.of() : env;
        if (vars.stream().anyMatch(v -> v == null || blankToEmpty(v.getName()).isEmpty())) {
            problems.add("env entries need a name");
        }
        return vars;
    }

    /** {@code value}, with a problem for {@code field} when it lies outside [min, max]. */
    private static int within(String field, int value, int min, int max, List<String> problems) {
        if (value < min || value > max) {
            problems.add(field + " must be within " + min + ".." + max + " (got " + value + ")");
        }
        return value;
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.trim();
    }
}

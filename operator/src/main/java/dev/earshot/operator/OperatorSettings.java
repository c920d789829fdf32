package dev.earshot.operator;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the operator process runs, read once from the environment at startup.
 *
 * @param namespaces namespaces to watch; empty = all
 * @param httpPort port of the health and metrics endpoints
 * @param leaderElection lease to hold, or empty to run without leader election
 * @param identity this replica's name (Events, Lease holder)
 * @param scrapeTimeout timeout for reading one pod's metrics
 * @param serverSideApply whether to use server-side apply (off only for API servers without it)
 * @param operatorNamespace the namespace the operator runs in, when known: the gateways'
 *     NetworkPolicies admit their admin port from it alone
 */
public record OperatorSettings(
        Set<String> namespaces,
        int httpPort,
        Optional<LeaseSettings> leaderElection,
        String identity,
        Duration scrapeTimeout,
        boolean serverSideApply,
        Optional<String> operatorNamespace) {

    public OperatorSettings {
        namespaces = Set.copyOf(namespaces);
    }

    /** Settings of an operator that does not know its namespace (a run outside the cluster). */
    public OperatorSettings(
            Set<String> namespaces,
            int httpPort,
            Optional<LeaseSettings> leaderElection,
            String identity,
            Duration scrapeTimeout,
            boolean serverSideApply) {
        this(namespaces, httpPort, leaderElection, identity, scrapeTimeout, serverSideApply, Optional.empty());
    }

    /**
     * The Lease that makes one replica the leader.
     *
     * @param name Lease name
     * @param namespace Lease namespace, or null for the client's namespace
     * @param exitOnLoss end the process when the Lease is lost, so that two replicas never act at
     *     once; off only where the process must outlive the operator, as a test runner's JVM
     */
    public record LeaseSettings(String name, String namespace, boolean exitOnLoss) {

        /** A Lease whose loss ends the process (production). */
        public LeaseSettings(String name, String namespace) {
            this(name, namespace, true);
        }
    }

    /**
     * Reads {@code WATCH_NAMESPACES} (comma-separated, empty = all), {@code HTTP_PORT} (8081),
     * {@code LEADER_ELECTION} (true), {@code LEASE_NAME} (earshot-operator),
     * {@code POD_NAMESPACE} (Lease namespace, and the operator's own: the chart sets it from the
     * downward API), {@code POD_NAME} or {@code HOSTNAME} (identity) and {@code SCRAPE_TIMEOUT_MS}
     * (2000).
     */
    public static OperatorSettings fromEnvironment(Map<String, String> env) {
        Set<String> namespaces = Arrays.stream(
                        env.getOrDefault("WATCH_NAMESPACES", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        int port = Integer.parseInt(env.getOrDefault("HTTP_PORT", "8081").trim());
        boolean leader =
                Boolean.parseBoolean(env.getOrDefault("LEADER_ELECTION", "true").trim());
        Optional<LeaseSettings> lease = leader
                ? Optional.of(
                        new LeaseSettings(env.getOrDefault("LEASE_NAME", "earshot-operator"), env.get("POD_NAMESPACE")))
                : Optional.empty();
        String identity = Optional.ofNullable(env.get("POD_NAME"))
                .or(() -> Optional.ofNullable(env.get("HOSTNAME")))
                .orElse("earshot-operator-" + ProcessHandle.current().pid());
        Duration timeout = Duration.ofMillis(
                Long.parseLong(env.getOrDefault("SCRAPE_TIMEOUT_MS", "2000").trim()));
        Optional<String> namespace =
                Optional.ofNullable(env.get("POD_NAMESPACE")).map(String::trim).filter(s -> !s.isEmpty());
        return new OperatorSettings(namespaces, port, lease, identity, timeout, true, namespace);
    }
}

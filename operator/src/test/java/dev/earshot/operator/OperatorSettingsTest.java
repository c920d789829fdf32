package dev.earshot.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

    @Test
    void defaultsWatchAllNamespacesWithLeaderElectionAndServerSideApply() {
        OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of("POD_NAME", "op-0"));
        assertTrue(settings.namespaces().isEmpty());
        assertEquals(8081, settings.httpPort());
        assertEquals("earshot-operator", settings.leaderElection().orElseThrow().name());
        assertEquals("op-0", settings.identity());
        assertEquals(Duration.ofSeconds(2), settings.scrapeTimeout());
        assertTrue(settings.serverSideApply());
    }

    @Test
    void environmentOverridesNamespacesPortLeaseAndTimeout() {
        OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of(
                "WATCH_NAMESPACES",
                "speech, asr ,",
                "HTTP_PORT",
                "9000",
                "LEASE_NAME",
                "lock",
                "POD_NAMESPACE",
                "ops",
                "HOSTNAME",
                "host-1",
                "SCRAPE_TIMEOUT_MS",
                "750"));
        assertEquals(Set.of("speech", "asr"), settings.namespaces());
        assertEquals(9000, settings.httpPort());
        assertEquals(
                new OperatorSettings.LeaseSettings("lock", "ops"),
                settings.leaderElection().orElseThrow());
        assertEquals("host-1", settings.identity());
        assertEquals(Duration.ofMillis(750), settings.scrapeTimeout());
        assertEquals(Optional.of("ops"), settings.operatorNamespace(), "the gateways' admin port admits it");
    }

    @Test
    void withoutPodNamespaceTheOperatorDoesNotKnowItsNamespace() {
        assertEquals(
                Optional.empty(),
                OperatorSettings.fromEnvironment(Map.of("POD_NAME", "op-0")).operatorNamespace());
        assertEquals(
                Optional.empty(),
                OperatorSettings.fromEnvironment(Map.of("POD_NAMESPACE", " ")).operatorNamespace());
    }

    @Test
    void leaderElectionCanBeSwitchedOffForASingleLocalReplica() {
        assertTrue(OperatorSettings.fromEnvironment(Map.of("LEADER_ELECTION", "false"))
                .leaderElection()
                .isEmpty());
    }
}

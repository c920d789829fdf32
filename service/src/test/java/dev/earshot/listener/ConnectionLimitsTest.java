package dev.earshot.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.config.Config;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

    @Test
    void unsetKeysTakeTheDocumentedDefaults() {
        ConnectionLimits limits = ConnectionLimits.from(Config.empty());
        assertEquals(ConnectionLimits.defaults(), limits);
        assertEquals(Duration.ofSeconds(10), limits.headerTimeout());
        assertEquals(0, limits.maxPerAddress());
        assertTrue(new ConnectionGuard(limits).enabled(), "the head deadline is on by default");
    }

    @Test
    void bothRulesReadFromTheServerNodeAndZeroTurnsEachOff() {
        ConnectionLimits limits = ConnectionLimits.from(
                ListenerConfigs.server(Map.of("server.header-timeout", "PT3S", "server.max-connections-per-ip", "7")));
        assertEquals(new ConnectionLimits(Duration.ofSeconds(3), 7), limits);
        ConnectionLimits off = ConnectionLimits.from(
                ListenerConfigs.server(Map.of("server.header-timeout", "PT0S", "server.max-connections-per-ip", "0")));
        assertFalse(new ConnectionGuard(off).enabled(), off.toString());
    }

    @Test
    void aBadValueNamesItsKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ConnectionLimits.from(ListenerConfigs.server(Map.of("server.max-connections-per-ip", "-1"))));
        assertTrue(e.getMessage().contains("server.max-connections-per-ip"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> ConnectionLimits.from(ListenerConfigs.server(Map.of("server.header-timeout", "-PT1S"))));
        assertTrue(e.getMessage().contains("server.header-timeout"), e.getMessage());
    }

    @Test
    void eachAddressIsCountedUpToTheLimitAndAnEndedConnectionFreesItsPlace() {
        AddressCounts counts = new AddressCounts(2);
        assertTrue(counts.tryAcquire("10.0.0.1"));
        assertTrue(counts.tryAcquire("10.0.0.1"));
        assertFalse(counts.tryAcquire("10.0.0.1"), "a third from the same address");
        assertTrue(counts.tryAcquire("10.0.0.2"), "another address has its own count");
        assertEquals(2, counts.count("10.0.0.1"));
        counts.release("10.0.0.1");
        assertTrue(counts.tryAcquire("10.0.0.1"));
        counts.release("10.0.0.1");
        counts.release("10.0.0.1");
        assertEquals(0, counts.count("10.0.0.1"));
    }
}

package dev.earshot.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import java.net.URI;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

/** The load tool reads the gateway's CPU time and memory out of a real scrape. */
class ServerCountersTest {

    @Test
    void readsCpuResidentMemoryAndHeapFromAGateway() throws Exception {
        try (GatewayServer gateway = TestGateways.synthetic(TestConfigs.sessionsMax(5))) {
            ServerCounters counters = ServerCounters.read(
                    HttpClient.newHttpClient(),
                    URI.create("http://127.0.0.1:" + gateway.adminPort() + "/observe/metrics"));
            double jvmCpu = java.lang.management.ManagementFactory.getPlatformMXBean(
                                    com.sun.management.OperatingSystemMXBean.class)
                            .getProcessCpuTime()
                    / 1e9;
            // the gateway runs in this JVM, so its CPU time is this process's, read a moment earlier
            assertTrue(counters.cpuSeconds() > 0.1 && counters.cpuSeconds() <= jvmCpu, counters + " vs " + jvmCpu);
            assertTrue(counters.rssBytes() > 20_000_000, counters.toString());
            long heap = Runtime.getRuntime().totalMemory();
            assertTrue(
                    counters.heapBytes() > 1_000_000 && counters.heapBytes() <= heap,
                    counters + " vs committed " + heap);
        }
    }

    @Test
    void sumsTheHeapPoolsAndSkipsTheOthers() {
        ServerCounters counters = ServerCounters.parse("""
                # HELP process_cpu_time_ns_total The "cpu time" used by the Java Virtual Machine process
                # TYPE process_cpu_time_ns_total counter
                process_cpu_time_ns_total 2.5E9
                # TYPE process_resident_memory_bytes gauge
                process_resident_memory_bytes 1.048576E8
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1000.0
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 234.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 99999.0
                """);
        assertEquals(new ServerCounters(2.5, 104_857_600, 1234), counters);
        assertEquals(new ServerCounters(Double.NaN, -1, -1), ServerCounters.parse("# EOF\n"));
    }
}

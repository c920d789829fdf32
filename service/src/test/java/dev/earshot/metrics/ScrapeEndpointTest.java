package dev.earshot.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.ScrapeText;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /observe/metrics} of a real gateway over a real socket: the JVM's and the process's meters
 * beside Earshot's, the format chosen by {@code Accept}, and one registry per gateway.
 */
class ScrapeEndpointTest {
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.synthetic(TestConfigs.sessionsMax(7));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static HttpResponse<String> scrape(GatewayServer server, String accept) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/observe/metrics"));
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response = WsTestClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    @Test
    void jvmAndProcessMetersAppearBesideEarshotsOwn() throws Exception {
        System.gc(); // the gateway runs in this JVM: a collection it must report
        String text = await("the collection is reported")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> scrape(gateway, null).body(), t -> t.contains("jvm_gc_pause_seconds_count{"));
        assertEquals(7, ScrapeText.sum(text, "earshot_sessions_capacity"));
        assertTrue(ScrapeText.sum(text, "jvm_gc_pause_seconds_count") >= 1, text);
        assertTrue(ScrapeText.sum(text, "jvm_gc_memory_allocated_bytes_total") > 0, text);
        assertTrue(ScrapeText.sum(text, "jvm_memory_used_bytes") > 1_000_000, text);
        assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\""), text);
        assertTrue(text.contains("jvm_memory_used_bytes{area=\"nonheap\""), text);
        assertTrue(ScrapeText.sum(text, "jvm_memory_max_bytes") > 0, text);
        assertTrue(ScrapeText.sum(text, "jvm_threads_live_threads") >= 2, text);
        assertTrue(ScrapeText.sum(text, "jvm_threads_states_threads") >= 2, text);
        assertTrue(ScrapeText.sum(text, "jvm_classes_loaded_classes") > 1000, text);
        assertTrue(ScrapeText.sum(text, "process_cpu_time_ns_total") > 0, text);
        assertTrue(text.contains("\nprocess_cpu_usage "), text);
        assertTrue(ScrapeText.sum(text, "system_cpu_count") >= 1, text);
        assertTrue(ScrapeText.sum(text, "process_uptime_seconds") > 0, text);
        assertTrue(ScrapeText.sum(text, "process_files_open_files") > 0, text);
        double rss = ScrapeText.sum(text, "process_resident_memory_bytes");
        // a JVM with a web server holds well over 20 MB: counted in kB or pages it would read less
        assertTrue(rss > 20_000_000 && rss < 1e12, "resident memory in bytes: " + rss);
    }

    @Test
    void classicTextByDefaultAndOpenMetricsOrProtobufWhenAskedFor() throws Exception {
        HttpResponse<String> plain = scrape(gateway, null);
        assertEquals(
                "text/plain; version=0.0.4; charset=utf-8",
                plain.headers().firstValue("Content-Type").orElse(""));
        assertTrue(plain.body().contains("# TYPE earshot_results_total counter\n"), plain.body());
        assertTrue(plain.body().contains("\nearshot_sessions_capacity 7.0\n"), plain.body());
        assertFalse(plain.body().contains("# EOF"), plain.body());

        // what Prometheus sends by default
        HttpResponse<String> open = scrape(
                gateway,
                "application/openmetrics-text;version=1.0.0,"
                        + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertEquals(
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
                open.headers().firstValue("Content-Type").orElse(""));
        assertTrue(open.body().endsWith("# EOF\n"), open.body());
        assertTrue(open.body().contains("# TYPE earshot_results counter\n"), open.body());
        assertTrue(open.body().contains("\nearshot_sessions_capacity 7.0\n"), open.body());

        HttpResponse<byte[]> protobuf = WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/observe/metrics"))
                        .header(
                                "Accept",
                                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                                        + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3")
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, protobuf.statusCode());
        assertTrue(
                protobuf.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.google.protobuf"),
                protobuf.headers().toString());
        assertTrue(new String(protobuf.body(), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("earshot_sessions_capacity"));
    }

    @Test
    void eachGatewayInOneJvmCountsItsOwnSessions() throws Exception {
        try (GatewayServer other = TestGateways.synthetic(TestConfigs.sessionsMax(3));
                WsTestClient client = WsTestClient.connect(other.port(), "own-1")) {
            client.start(null).next();
            String mine = scrape(gateway, null).body();
            String theirs = scrape(other, null).body();
            assertEquals(0, ScrapeText.sum(mine, "earshot_sessions_active"), mine);
            assertEquals(7, ScrapeText.sum(mine, "earshot_sessions_capacity"), mine);
            assertEquals(1, ScrapeText.sum(theirs, "earshot_sessions_active"), theirs);
            assertEquals(3, ScrapeText.sum(theirs, "earshot_sessions_capacity"), theirs);
        }
    }
}

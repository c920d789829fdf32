package dev.earshot.operator.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.earshot.operator.testing.AdminEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpMetricsScraperTest {

    private final HttpMetricsScraper scraper = new HttpMetricsScraper(Duration.ofMillis(500));

    @Test
    void readsTheSessionGaugeFromARealEndpoint() throws Exception {
        try (AdminEndpoint pod = new AdminEndpoint().sessions(42)) {
            ScrapeResult result = scraper.scrape(pod.uri()).join();
            assertEquals(new ScrapeResult.Sessions(42), result);
        }
    }

    @Test
    void readsWhetherThePodDrainsFromTheSameScrape() throws Exception {
        try (AdminEndpoint pod = new AdminEndpoint().sessions(3)) {
            assertEquals(
                    new ScrapeResult.Sessions(3, false),
                    scraper.scrape(pod.uri()).join());
            DrainAnswer answer = new HttpDrainClient(Duration.ofSeconds(2))
                    .drain(pod.adminUri())
                    .join();
            assertEquals(new DrainAnswer.Answered(true, 3), answer);
            assertEquals(
                    new ScrapeResult.Sessions(3, true),
                    scraper.scrape(pod.uri()).join());
            assertEquals(
                    new DrainAnswer.Answered(false, 3),
                    new HttpDrainClient(Duration.ofSeconds(2))
                            .undrain(pod.adminUri())
                            .join());
        }
    }

    @Test
    void anErrorStatusIsAFailureWithTheStatus() throws Exception {
        try (AdminEndpoint pod = new AdminEndpoint().sessions(42).down(true)) {
            ScrapeResult.Failed failed = assertInstanceOf(
                    ScrapeResult.Failed.class, scraper.scrape(pod.uri()).join());
            assertEquals("HTTP 503", failed.reason());
        }
    }

    @Test
    void anEndpointWithoutTheGaugeIsAFailure() throws Exception {
        try (AdminEndpoint pod = new AdminEndpoint().body("# nothing here\nup 1\n")) {
            ScrapeResult.Failed failed = assertInstanceOf(
                    ScrapeResult.Failed.class, scraper.scrape(pod.uri()).join());
            assertTrue(failed.reason().contains("not exported"), failed.reason());
        }
    }

    @Test
    void aRefusedConnectionIsAFailureNotAnException() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ScrapeResult result = scraper.scrape(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                .join();
        assertInstanceOf(ScrapeResult.Failed.class, result);
    }

    @Test
    void aPodThatDoesNotAnswerTimesOutQuickly() throws Exception {
        HttpServer silent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        silent.createContext("/", exchange -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        silent.start();
        try {
            long start = System.nanoTime();
            ScrapeResult result = scraper.scrape(
                            URI.create("http://127.0.0.1:" + silent.getAddress().getPort() + "/observe/metrics"))
                    .join();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertInstanceOf(ScrapeResult.Failed.class, result);
            assertTrue(millis < 3_000, "took " + millis + " ms");
        } finally {
            silent.stop(0);
        }
    }
}

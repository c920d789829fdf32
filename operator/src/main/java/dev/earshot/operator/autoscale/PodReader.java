package dev.earshot.operator.autoscale;

import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the pods of one poll: every running pod at once, Ready or not, because a pod whose
 * readiness flaps still holds its sessions and must be known to hold them. A pod that does not run
 * is not asked; it holds nothing.
 */
final class PodReader {

    private final MetricsScraper scraper;
    private final AutoscalerSettings settings;

    PodReader(MetricsScraper scraper, AutoscalerSettings settings) {
        this.scraper = scraper;
        this.settings = settings;
    }

    /**
     * What a poll read.
     *
     * @param pods each pod's state, in the order given
     * @param adminUrls the admin listener of each running pod, by name
     */
    record Reading(List<PodState> pods, Map<String, URI> adminUrls) {

        /** The admin listener of a running pod, or null. */
        URI admin(String pod) {
            return adminUrls.get(pod);
        }
    }

    /** Reads {@code pods}, whose admin listeners are on {@code port}, within the scrape timeout. */
    Reading read(Iterable<Pod> pods, int port) {
        Map<String, URI> admin = new LinkedHashMap<>();
        Map<Pod, CompletableFuture<ScrapeResult>> pending = new LinkedHashMap<>();
        for (Pod pod : pods) {
            CompletableFuture<ScrapeResult> result;
            if (!running(pod)) {
                result = CompletableFuture.completedFuture(new ScrapeResult.Failed("not running"));
            } else {
                try {
                    URI base = settings.adminUrl().of(pod, port);
                    admin.put(pod.getMetadata().getName(), base);
                    result = scraper.scrape(PodAdminUrl.resolve(base, PodAdminUrl.METRICS_PATH))
                            .completeOnTimeout(
                                    new ScrapeResult.Failed("timed out"),
                                    settings.scrapeTimeout().toMillis() + 500,
                                    TimeUnit.MILLISECONDS)
                            .exceptionally(e -> new ScrapeResult.Failed(e.toString()));
                } catch (RuntimeException e) {
                    result = CompletableFuture.completedFuture(new ScrapeResult.Failed(e.toString()));
                }
            }
            pending.put(pod, result);
        }
        List<PodState> states = new ArrayList<>();
        pending.forEach((pod, future) -> states.add(
                new PodState(pod.getMetadata().getName(), running(pod), PodReadiness.isReady(pod), future.join())));
        return new Reading(states, admin);
    }

    /** Running with an IP: the gateway process is up. */
    private static boolean running(Pod pod) {
        return pod.getStatus() != null
                && "Running".equals(pod.getStatus().getPhase())
                && pod.getStatus().getPodIP() != null
                && !pod.getStatus().getPodIP().isBlank();
    }
}

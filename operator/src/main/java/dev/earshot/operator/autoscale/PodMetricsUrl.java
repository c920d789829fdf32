package dev.earshot.operator.autoscale;

import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;

/**
 * Where a pod's metrics live. One replaceable function, so tests (and setups where the operator
 * cannot reach pod IPs) can aim the scraper elsewhere.
 */
@FunctionalInterface
public interface PodMetricsUrl {

    /** Path of the Prometheus endpoint of the Earshot service. */
    String METRICS_PATH = "/observe/metrics";

    /**
     * The metrics URL of a pod.
     *
     * @param pod a ready pod (has a pod IP)
     * @param port the pods' admin port ({@code adminPort} of the SpeechService spec)
     * @return the URL to scrape
     */
    URI of(Pod pod, int port);

    /** {@code http://<podIP>:<port>/observe/metrics}, with IPv6 addresses in brackets. */
    static PodMetricsUrl podIp() {
        return (pod, port) -> {
            String ip = pod.getStatus().getPodIP();
            String host = ip.contains(":") ? "[" + ip + "]" : ip;
            return URI.create("http://" + host + ":" + port + METRICS_PATH);
        };
    }
}

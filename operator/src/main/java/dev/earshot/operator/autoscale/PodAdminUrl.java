package dev.earshot.operator.autoscale;

import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;

/**
 * Where a pod's admin listener is. One replaceable function, so tests (and setups where the
 * operator cannot reach pod IPs) can aim the autoscaler elsewhere.
 */
@FunctionalInterface
public interface PodAdminUrl {

    /** Path of the Prometheus endpoint of the Earshot service. */
    String METRICS_PATH = "/observe/metrics";
    /** Path of the drain switch of the Earshot service. */
    String DRAIN_PATH = "/admin/drain";

    /**
     * The base URL of a pod's admin listener.
     *
     * @param pod a running pod (has a pod IP)
     * @param port the pods' admin port ({@code adminPort} of the SpeechService spec)
     * @return the URL without a path, e.g. {@code http://10.1.2.3:9090}
     */
    URI of(Pod pod, int port);

    /** {@code http://<podIP>:<port>}, with IPv6 addresses in brackets. */
    static PodAdminUrl podIp() {
        return (pod, port) -> {
            String ip = pod.getStatus().getPodIP();
            String host = ip.contains(":") ? "[" + ip + "]" : ip;
            return URI.create("http://" + host + ":" + port);
        };
    }

    /** {@code path} on the admin listener at {@code base}. */
    static URI resolve(URI base, String path) {
        return URI.create(base.toString().replaceAll("/+$", "") + path);
    }
}

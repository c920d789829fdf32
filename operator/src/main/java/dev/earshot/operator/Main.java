package dev.earshot.operator;

import dev.earshot.operator.observe.OperatorHttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code earshot-operator.jar}. The fabric8 client finds its cluster on its own:
 * the service account when running in a pod, else {@code KUBECONFIG} / {@code ~/.kube/config}.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            // One line per event.
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s - %5$s%6$s%n");
        }
        System.Logger log = System.getLogger(Main.class.getName());
        OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
        KubernetesClient client = new KubernetesClientBuilder().build();
        log.log(
                Level.INFO,
                "earshot-operator {0} talking to {1}, namespaces {2}, leader election {3}",
                settings.identity(),
                client.getMasterUrl(),
                settings.namespaces().isEmpty() ? "all" : settings.namespaces(),
                settings.leaderElection().isPresent() ? "on" : "off");

        EarshotOperator operator =
                EarshotOperator.builder(client).settings(settings).build();
        OperatorHttpServer http = new OperatorHttpServer(
                new InetSocketAddress(settings.httpPort()), operator::healthy, operator.meters());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.log(Level.INFO, "shutting down");
                            http.close();
                            operator.close();
                            client.close();
                            stopped.countDown();
                        },
                        "earshot-operator-shutdown"));
        // The endpoints come up first: /healthz answers 503 until the informers have synced.
        log.log(Level.INFO, "health and metrics on port {0}", http.port());
        operator.start();
        log.log(Level.INFO, "operator started");
        stopped.await();
    }
}

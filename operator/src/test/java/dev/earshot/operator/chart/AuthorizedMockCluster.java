package dev.earshot.operator.chart;

import dev.earshot.operator.testing.MockCluster;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * The fabric8 CRUD mock API server behind an {@link AuthorizingDispatcher}, with two clients: an
 * unrestricted one for the test (it plays the user and the kubelet) and one that authenticates
 * as the operator's ServiceAccount and is held to the chart's RBAC. The SpeechService CRD is
 * installed.
 */
final class AuthorizedMockCluster implements AutoCloseable {

    private static final String OPERATOR_TOKEN = "token-of-the-operator-service-account";

    private final KubernetesMockServer server;
    private final AuthorizingDispatcher dispatcher;
    private final KubernetesClient admin;
    private final KubernetesClient operator;

    AuthorizedMockCluster(RbacPolicy operatorRights) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        dispatcher = new AuthorizingDispatcher(
                new ServerSideApplyShim(new KubernetesMixedDispatcher(responses)), OPERATOR_TOKEN, operatorRights);
        server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()), new MockWebServer(), responses, dispatcher, false);
        server.init();
        admin = server.createClient();
        operator = server.createClient(builder -> builder.withConfig(new ConfigBuilder(admin.getConfiguration())
                .withOauthToken(OPERATOR_TOKEN)
                .build()));
        MockCluster.installCrd(admin);
    }

    /** The test's client: no RBAC. */
    KubernetesClient admin() {
        return admin;
    }

    /** The operator's client: the chart's RBAC. */
    KubernetesClient operator() {
        return operator;
    }

    /** What the operator's client asked for so far. */
    List<AuthorizingDispatcher.Call> calls() {
        return dispatcher.calls();
    }

    @Override
    public void close() {
        operator.close();
        admin.close();
        server.destroy();
    }
}

package dev.earshot.operator.model;

import dev.earshot.operator.crd.SpeechService;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * Builds the ClusterIP Service in front of the gateway pods. Clients keep one WebSocket per
 * session, so plain connection-level balancing is the right thing; no session affinity.
 */
public final class ServiceModel {

    private ServiceModel() {}

    /**
     * The desired Service.
     *
     * @param owner the SpeechService
     * @param config its validated spec
     * @return a new Service object
     */
    public static Service build(SpeechService owner, SpeechServiceConfig config) {
        return new ServiceBuilder()
                .withMetadata(Owners.metadata(owner))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Labels.selector(owner))
                .addNewPort()
                .withName(DeploymentModel.PORT_NAME)
                .withProtocol("TCP")
                .withPort(config.port())
                .withTargetPort(new IntOrString(DeploymentModel.PORT_NAME))
                .endPort()
                .endSpec()
                .build();
    }
}

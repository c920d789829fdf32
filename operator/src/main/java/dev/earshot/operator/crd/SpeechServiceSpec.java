package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;

/**
 * What the user asks for. Field initialisers carry the same defaults as the schema so that a
 * resource read from an API server without defaulting (or from an older CRD) behaves the same;
 * {@link dev.earshot.operator.model.SpeechServiceConfig} turns this mutable wire type into a
 * validated record.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SpeechServiceSpec {

    @Required
    @JsonPropertyDescription("Container image of the Earshot service; its entrypoint is `java -jar earshot.jar`.")
    private String image;

    @JsonPropertyDescription("Bounds for the replica count chosen by the autoscaler.")
    private Replicas replicas = new Replicas();

    @JsonPropertyDescription("Session targets: the autoscaling target and the hard per-pod limit.")
    private Sessions sessions = new Sessions();

    @JsonPropertyDescription("How the session-based autoscaler polls and smooths its decisions.")
    private Scaling scaling = new Scaling();

    @JsonPropertyDescription("The Riva server the pods talk to; empty endpoint = embedded recognizer in each pod.")
    private Riva riva = new Riva();

    @Default("60")
    @Min(0)
    @Max(3600)
    @JsonPropertyDescription("Seconds a terminating pod gets to let its live sessions finish.")
    private Integer drainSeconds = 60;

    @JsonPropertyDescription("Compute resources of the Earshot container. Unset or empty: requests and a memory limit"
            + " derived from the recognizer (the gateway: 100m CPU + 1m per sessions.maxPerReplica, 384Mi + 64Ki per"
            + " session; the embedded Sphinx4 recognizer adds 500m CPU per decoder and 256Mi + 64Mi per decoder, with"
            + " ASR_POOL__SIZE decoders from env, else min(sessions.maxPerReplica, 4), which the pods then get as"
            + " ASR_POOL__SIZE). No CPU limit. Set any field and these are used as given.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Extra environment variables for the Earshot container; they override the operator's.")
    private List<EnvVar> env = new ArrayList<>();

    @Default("8080")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("HTTP/WebSocket port of the service: the demo page, sessions and the REST API.")
    private Integer port = 8080;

    @Default("9090")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Admin port of the pods (server.admin-port): /observe health and metrics, /admin/sessions."
            + " The probes, the autoscaler and the scrape annotations use it; the Service does not expose it.")
    private Integer adminPort = 9090;

    @JsonPropertyDescription("An optional NetworkPolicy for the gateway pods.")
    private NetworkPolicySpec networkPolicy = new NetworkPolicySpec();

    @JsonPropertyDescription("Who may open sessions and call the API (the pods' auth.*): API keys from a Secret,"
            + " JWTs, per-client quotas. Unset: the operator sets no auth.* and the pods use the gateway's"
            + " default, none.")
    private AuthSpec auth;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public Replicas getReplicas() {
        return replicas;
    }

    public void setReplicas(Replicas replicas) {
        this.replicas = replicas;
    }

    public Sessions getSessions() {
        return sessions;
    }

    public void setSessions(Sessions sessions) {
        this.sessions = sessions;
    }

    public Scaling getScaling() {
        return scaling;
    }

    public void setScaling(Scaling scaling) {
        this.scaling = scaling;
    }

    public Riva getRiva() {
        return riva;
    }

    public void setRiva(Riva riva) {
        this.riva = riva;
    }

    public Integer getDrainSeconds() {
        return drainSeconds;
    }

    public void setDrainSeconds(Integer drainSeconds) {
        this.drainSeconds = drainSeconds;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public NetworkPolicySpec getNetworkPolicy() {
        return networkPolicy;
    }

    public void setNetworkPolicy(NetworkPolicySpec networkPolicy) {
        this.networkPolicy = networkPolicy;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Integer getAdminPort() {
        return adminPort;
    }

    public void setAdminPort(Integer adminPort) {
        this.adminPort = adminPort;
    }

    public AuthSpec getAuth() {
        return auth;
    }

    public void setAuth(AuthSpec auth) {
        this.auth = auth;
    }
}

package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A pod the operator drains before it removes it: refusing new sessions, its live ones going on. */
public class DrainingPod {

    @JsonPropertyDescription("Pod name.")
    private String name;

    @JsonPropertyDescription("Live sessions it still held at the last poll.")
    private Long sessions;

    @JsonPropertyDescription("When the drain began (RFC 3339).")
    private String since;

    public DrainingPod() {}

    public DrainingPod(String name, long sessions, String since) {
        this.name = name;
        this.sessions = sessions;
        this.since = since;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Long getSessions() {
        return sessions;
    }

    public void setSessions(Long sessions) {
        this.sessions = sessions;
    }

    public String getSince() {
        return since;
    }

    public void setSince(String since) {
        this.since = since;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DrainingPod d
                && Objects.equals(name, d.name)
                && Objects.equals(sessions, d.sessions)
                && Objects.equals(since, d.since);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, sessions, since);
    }
}

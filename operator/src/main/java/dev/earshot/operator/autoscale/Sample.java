package dev.earshot.operator.autoscale;

import java.time.Instant;

/**
 * One poll's view of a SpeechService: the replica count in force and the sessions reported by the
 * ready pods whose metrics could be read.
 *
 * @param at when the poll happened
 * @param currentReplicas replicas the Deployment is asked for now
 * @param activeSessions sessions summed over the pods that answered
 * @param podsReporting ready pods whose metrics were read
 * @param podsFailed ready pods whose metrics could not be read
 */
public record Sample(Instant at, int currentReplicas, long activeSessions, int podsReporting, int podsFailed) {

    public Sample {
        if (currentReplicas < 0 || activeSessions < 0 || podsReporting < 0 || podsFailed < 0) {
            throw new IllegalArgumentException("negative count in " + this);
        }
    }
}

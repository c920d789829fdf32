package dev.earshot.resume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a resumed client is sent again: the events after its last, minus superseded interims, if all are kept. */
class EventLogTest {

    @Test
    void theEventsAfterTheClientsLastAreSentAgainWithoutTheInterimsALaterResultReplaced() {
        EventLog log = new EventLog(1024);
        log.append(1, "started", false, false);
        log.append(2, "interim a", true, true);
        log.append(3, "interim ab", true, true);
        log.append(4, "recovered", false, false);
        log.append(5, "final abc", true, false);
        log.append(6, "interim d", true, true);

        assertEquals(Optional.of(List.of("recovered", "final abc", "interim d")), log.after(1));
        assertEquals(Optional.of(List.of("interim d")), log.after(5));
        assertEquals(Optional.of(List.of()), log.after(6));
        assertEquals(6, log.lastSeq());
    }

    @Test
    void aClientThatMissedMoreThanIsKeptOrNamesAnEventNeverSentGetsNothing() {
        EventLog log = new EventLog(20);
        for (int seq = 1; seq <= 5; seq++) {
            log.append(seq, "final " + seq + "..", true, false); // 9 chars each: two fit
        }
        assertEquals(Optional.empty(), log.after(2), "event 3 is no longer kept");
        assertEquals(Optional.of(List.of("final 4..", "final 5..")), log.after(3));
        assertFalse(log.after(6).isPresent(), "event 6 was never sent");
    }

    @Test
    void tokensAreRandomAndOnlyTheirOwnValueMatches() {
        ResumeToken token = ResumeToken.random();
        assertNotEquals(token.value(), ResumeToken.random().value());
        assertTrue(token.matches(token.value()));
        assertFalse(token.matches(token.value().substring(1)));
        assertFalse(token.matches(null));
        assertFalse(token.toString().contains(token.value()), "never in a log");
    }
}

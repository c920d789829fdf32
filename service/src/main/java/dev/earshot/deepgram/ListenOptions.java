package dev.earshot.deepgram;

import dev.earshot.protocol.SessionConfig;
import java.util.List;
import java.util.Map;

/**
 * A listen request's query parameters, read: what the session asks Riva for, and what only
 * changes how results are written back in Deepgram's terms.
 *
 * @param session        the session's configuration (encoding, rate, language, model, punctuation,
 *                       speech contexts, endpointing), word times always on: Deepgram always sends words
 * @param model          the model name the client asked for ({@code nova-3}...), echoed in model_info
 * @param interimResults send interim {@code Results} ({@code interim_results}, off by default as in Deepgram)
 * @param endpointing    whether finals Riva's endpointing made are {@code speech_final}
 *                       ({@code endpointing=false} turns that off)
 * @param utteranceEndMs silence after the last word that sends {@code UtteranceEnd}; 0 for none
 * @param vadEvents      send {@code SpeechStarted}
 * @param extra          {@code extra=key:value} pairs, echoed in every result's metadata
 * @param warnings       parameters accepted but not honoured, reported in {@code Metadata}
 */
public record ListenOptions(
        SessionConfig session,
        String model,
        boolean interimResults,
        boolean endpointing,
        int utteranceEndMs,
        boolean vadEvents,
        Map<String, String> extra,
        List<Warning> warnings) {

    /**
     * A parameter Earshot accepted without doing what Deepgram would.
     *
     * @param parameter the query parameter
     * @param message   what Earshot did instead
     */
    public record Warning(String parameter, String message) {}
}

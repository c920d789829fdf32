package dev.earshot.asr.sphinx;

import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.DataProcessingException;
import edu.cmu.sphinx.frontend.DataStartSignal;
import edu.cmu.sphinx.frontend.filter.Dither;

/**
 * Sphinx4's dither, restarted at the start of every stream. Sphinx4 seeds its noise once per
 * front end and then draws from it stream after stream, so the noise a stream gets depends on
 * how much audio that decoder heard before: one caller's audio would shape the next caller's
 * transcript, and two decoders would hear the same audio differently. Restarted, every stream
 * gets the same noise whichever decoder takes it.
 */
public final class StreamDither extends Dither {
    @Override
    public Data getData() throws DataProcessingException {
        Data data = super.getData();
        if (data instanceof DataStartSignal) {
            initialize();
        }
        return data;
    }
}

package dev.earshot.asr.sphinx;

import edu.cmu.sphinx.linguist.Linguist;
import edu.cmu.sphinx.linguist.SearchGraph;
import edu.cmu.sphinx.util.props.PropertySheet;

/**
 * A decoder's view of the lexical tree that all decoders share. Sphinx4's search manager
 * allocates its linguist when the recognizer is allocated, and the lexical-tree linguist then
 * rebuilds its whole tree (about 20 MB and a second of CPU); here allocation is a no-op, since the
 * shared model built the tree once. The search graph it hands out is read-only (see
 * {@code LexTreeExpansion}), so any number of decoders may search it at once.
 */
final class SharedLinguist implements Linguist {
    private final Linguist linguist;

    SharedLinguist(Linguist linguist) {
        this.linguist = linguist;
    }

    /** Built in code, not from the configuration: nothing to read. */
    @Override
    public void newProperties(PropertySheet ps) {}

    @Override
    public SearchGraph getSearchGraph() {
        return linguist.getSearchGraph();
    }

    @Override
    public void startRecognition() {
        linguist.startRecognition();
    }

    @Override
    public void stopRecognition() {
        linguist.stopRecognition();
    }

    /** The shared model allocated the tree. */
    @Override
    public void allocate() {}

    /** The tree outlives any one decoder. */
    @Override
    public void deallocate() {}
}

package dev.earshot.asr.sphinx;

import edu.cmu.sphinx.linguist.WordSequence;
import edu.cmu.sphinx.linguist.language.ngram.LanguageModel;
import edu.cmu.sphinx.util.props.PropertySheet;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One n-gram model read by every decoder at once. Sphinx4's trie model is not safe for that:
 * a lookup keeps its back-off depth in a field and goes through an access-ordered LRU cache
 * (every read reorders it), so concurrent lookups can return another word sequence's
 * probability or corrupt the cache. Lookups in the model are therefore serialized, behind a
 * concurrent cache of what they returned (a probability depends on the word sequence only), so
 * the decoders rarely wait for each other: the search asks for the same few thousand sequences
 * over and over. The cache is emptied when it reaches {@value #CACHE_SIZE} sequences.
 *
 * <p>Allocated once, by the shared model. The end of an utterance, which Sphinx4 uses to drop
 * its cache, is ignored: with many streams there is no common utterance end.
 */
final class SharedLanguageModel implements LanguageModel {
    static final int CACHE_SIZE = 100_000;

    private final LanguageModel model;
    private final ConcurrentHashMap<WordSequence, Float> cache = new ConcurrentHashMap<>();
    private boolean allocated;

    SharedLanguageModel(LanguageModel model) {
        this.model = model;
    }

    /** Built in code, not from the configuration: nothing to read. */
    @Override
    public void newProperties(PropertySheet ps) {}

    @Override
    public synchronized void allocate() throws IOException {
        if (!allocated) {
            model.allocate();
            allocated = true;
        }
    }

    /** The model stays loaded for as long as the engine runs. */
    @Override
    public void deallocate() {}

    @Override
    public float getProbability(WordSequence wordSequence) {
        Float cached = cache.get(wordSequence);
        if (cached != null) {
            return cached;
        }
        float probability;
        synchronized (this) {
            probability = model.getProbability(wordSequence);
        }
        if (cache.size() >= CACHE_SIZE) {
            cache.clear();
        }
        cache.put(wordSequence, probability);
        return probability;
    }

    @Override
    public synchronized float getSmear(WordSequence wordSequence) {
        return model.getSmear(wordSequence);
    }

    @Override
    public synchronized Set<String> getVocabulary() {
        return model.getVocabulary();
    }

    @Override
    public int getMaxDepth() {
        return model.getMaxDepth();
    }

    @Override
    public void onUtteranceEnd() {}
}

package dev.earshot.asr.sphinx;

import edu.cmu.sphinx.linguist.allphone.AllphoneLinguist;
import edu.cmu.sphinx.linguist.language.ngram.LanguageModel;
import edu.cmu.sphinx.linguist.lextree.LexTreeExpansion;
import edu.cmu.sphinx.linguist.lextree.LexTreeLinguist;
import edu.cmu.sphinx.util.props.Configurable;
import edu.cmu.sphinx.util.props.ConfigurationManager;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read-only part of the recognizer, loaded once and shared by every decoder: the acoustic
 * model (HMMs, Gaussians, mixture weights), the pronunciation dictionary, the n-gram language
 * model, the lexical tree built from them, and the phone loop of the look-ahead search. Together
 * about 150 MB of heap, which each decoder used to load for itself.
 *
 * <p>Everything that changes while a stream is decoded stays in the decoder: the front end (with
 * its stream-start normalization), the search with its active lists and lattice, and the scorer.
 * What Sphinx4 itself would change inside these shared parts during decoding is dealt with:
 * acoustic scores live in each frame ({@link SharedModelLoader}, {@link ScoredFrame}), the
 * lexical tree is finished before any decoder runs ({@link LexTreeExpansion}), and language
 * model lookups are serialized ({@link SharedLanguageModel}).
 *
 * <p>Both the model and each decoder are configured from {@code streaming.config.xml}: a
 * decoder's configuration manager reads the same file, with the model's instances put in place
 * of the shared components before anything is built ({@link #decoderConfiguration()}).
 */
final class SharedModel {
    private static final System.Logger LOG = System.getLogger(SharedModel.class.getName());
    static final String CONFIG = "/dev/earshot/asr/sphinx/streaming.config.xml";
    private static final String LANGUAGE_MODEL = "trieNgramModel";
    private static final String LEX_TREE = "lexTreeLinguist";
    private static final String PHONE_LOOP = "allphoneLinguist";
    /** Components used as they are by every decoder (allocated, read-only while decoding). */
    private static final List<String> AS_IS =
            List.of("unitManager", "acousticModelLoader", "acousticModel", "dictionary", LANGUAGE_MODEL, PHONE_LOOP);

    private final Map<String, Configurable> components;

    private SharedModel(Map<String, Configurable> components) {
        this.components = components;
    }

    /** Loads the model and builds the lexical tree: a few seconds, once per engine. */
    static SharedModel load() throws IOException {
        long start = System.nanoTime();
        ConfigurationManager cm = configurationManager();
        LanguageModel lm = cm.lookup(LANGUAGE_MODEL);
        put(cm, LANGUAGE_MODEL, new SharedLanguageModel(lm)); // before the tree takes it
        LexTreeLinguist lexTree = cm.lookup(LEX_TREE);
        lexTree.allocate(); // dictionary, acoustic model, LM, tree
        int wordEnds = LexTreeExpansion.expandAll(lexTree);
        Map<String, Configurable> components = new LinkedHashMap<>();
        for (String name : AS_IS) {
            components.put(name, cm.lookup(name));
        }
        AllphoneLinguist phoneLoop = (AllphoneLinguist) components.get(PHONE_LOOP);
        phoneLoop.getCISuccessors().forEach(LexTreeExpansion::buildArcs);
        components.put(LEX_TREE, new SharedLinguist(lexTree));
        LOG.log(
                Level.DEBUG,
                () -> "asr model loaded in " + (System.nanoTime() - start) / 1_000_000 + " ms, " + wordEnds
                        + " word-end groups expanded");
        return new SharedModel(components);
    }

    /** A fresh configuration for one decoder, with this model's components in it. */
    ConfigurationManager decoderConfiguration() {
        ConfigurationManager cm = configurationManager();
        components.forEach((name, component) -> put(cm, name, component));
        return cm;
    }

    private static ConfigurationManager configurationManager() {
        URL config = SharedModel.class.getResource(CONFIG);
        if (config == null) {
            throw new IllegalStateException("missing resource " + CONFIG);
        }
        return new ConfigurationManager(config);
    }

    /** Makes {@code name} resolve to {@code component} in {@code cm}. */
    private static void put(ConfigurationManager cm, String name, Configurable component) {
        cm.removeConfigurable(name);
        cm.addConfigurable(component, name);
    }
}

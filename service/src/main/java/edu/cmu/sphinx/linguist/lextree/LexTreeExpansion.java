package edu.cmu.sphinx.linguist.lextree;

import edu.cmu.sphinx.linguist.acoustic.HMM;
import edu.cmu.sphinx.linguist.acoustic.HMMState;
import edu.cmu.sphinx.linguist.acoustic.HMMStateArc;
import edu.cmu.sphinx.linguist.acoustic.Unit;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Makes a compiled {@link LexTreeLinguist} read-only, so that one lexical tree can serve several
 * decoders on several threads at once (Earshot's embedded recognizer; see
 * {@code dev.earshot.asr.sphinx.SharedModel}).
 *
 * <p>Sphinx4 finishes its tree lazily during decoding: the first time a search reaches a word's
 * last phone, {@code HMMTree.getHMMNodes} builds the word-end nodes for every right context and
 * stores them in a plain {@code HashMap}; nodes turn their successor maps into arrays on first
 * use; and each HMM state builds its transition arcs on first use, into a plain field. Two
 * decoders doing that at once can corrupt the map, read a half-converted node or see an arc
 * array before its arcs. This walks the whole tree once, on one thread, before any decoder runs,
 * and does all of that work up front; afterwards decoding only reads the tree. What is built is
 * what the search would have built (word-end nodes depend only on the phone and its left
 * context; the search takes a word end's words from the end node it came through), so
 * transcripts do not change.
 *
 * <p>It lives in Sphinx4's package because the tree's classes are package-private there.
 */
public final class LexTreeExpansion {
    private LexTreeExpansion() {}

    /**
     * Builds every word-end node of {@code linguist}'s allocated tree and freezes every node.
     *
     * @return how many word-end (phone, left context) groups there are; above zero for any usable tree
     */
    public static int expandAll(LexTreeLinguist linguist) {
        HMMTree tree = linguist.hmmTree;
        if (tree == null) {
            throw new IllegalStateException("the linguist is not allocated");
        }
        // Sentence start is a silence word; the silence phone ends words too, so every entry
        // point has a table for it, and below those tables hangs every path of the tree.
        HMMNode start = tree.getInitialNode().getParent();
        Unit silence = start.getBaseUnit();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Object> endKeys = new HashSet<>();
        Deque<Node> pending = new ArrayDeque<>();
        freeze(start);
        for (Unit entry : start.getRC()) {
            for (Node node : tree.getEntryPoint(silence, entry)) {
                pending.push(node);
            }
        }
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            if (node instanceof WordNode || !seen.add(node)) {
                continue;
            }
            freeze(node);
            if (node instanceof EndNode end) {
                endKeys.add(end.getKey());
                for (HMMNode wordEnd : tree.getHMMNodes(end)) {
                    freeze(wordEnd);
                }
            }
            Node[] successors = node.getSuccessors();
            if (successors != null) {
                for (Node next : successors) {
                    pending.push(next);
                }
            }
        }
        return endKeys.size();
    }

    /** Turns the node's lazily built successor and right-context sets into arrays, and its HMM's arcs. */
    private static void freeze(Node node) {
        node.getSuccessors();
        if (node instanceof HMMNode hmm) {
            hmm.getRC();
            buildArcs(hmm.getHMM());
        }
    }

    /** Builds the transition arcs of every state of {@code hmm} (each state builds them once, lazily). */
    public static void buildArcs(HMM hmm) {
        Deque<HMMState> pending = new ArrayDeque<>();
        Set<HMMState> seen = new HashSet<>();
        pending.push(hmm.getInitialState());
        while (!pending.isEmpty()) {
            HMMState state = pending.pop();
            if (seen.add(state)) {
                for (HMMStateArc arc : state.getSuccessors()) {
                    pending.push(arc.getHMMState());
                }
            }
        }
    }
}

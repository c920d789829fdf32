/** The speech recognition engine: a pool of Sphinx4 decoders (en-US). */
package dev.earshot.asr.sphinx;

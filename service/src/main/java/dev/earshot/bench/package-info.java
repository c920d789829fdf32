/** {@code earshot bench-asr}: the recognizer benchmark on the shared corpus, and the word error rate. */
package dev.earshot.bench;

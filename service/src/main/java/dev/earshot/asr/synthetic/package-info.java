/** An engine that decodes nothing and answers audio chunk N with "chunk N": for load and scaling tests. */
package dev.earshot.asr.synthetic;

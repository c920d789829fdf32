/**
 * What a recognition engine is: streams of 16 kHz 16-bit mono audio in, transcripts out,
 * without gRPC or audio formats. The gRPC services and the engines depend on this, not on
 * each other.
 */
package dev.earshot.asr.engine;

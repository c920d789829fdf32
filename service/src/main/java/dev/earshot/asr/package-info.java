/**
 * The embedded Riva-compatible recognizer: {@link dev.earshot.asr.AsrServer} serves the engine
 * that {@code asr.engine} names behind Riva's gRPC API, on a port and in-process. The engine
 * contract is {@code asr.engine}, the gRPC services {@code asr.grpc}, the engines
 * {@code asr.sphinx} and {@code asr.synthetic}.
 */
package dev.earshot.asr;

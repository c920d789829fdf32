/**
 * Riva's gRPC API in front of an engine: request checks as Riva makes them, audio decoding,
 * results and status codes, and the health service.
 */
package dev.earshot.asr.grpc;

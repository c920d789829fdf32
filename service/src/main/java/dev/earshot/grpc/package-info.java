/** The Netty event loop this process's gRPC traffic shares (the Riva channel and the embedded recognizer). */
package dev.earshot.grpc;

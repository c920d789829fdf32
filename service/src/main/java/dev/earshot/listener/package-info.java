/**
 * The public listener's door rules, which Helidon 4.5.0 has no settings for: a deadline for
 * every request head ({@code server.header-timeout}) and a limit of connections per client
 * address ({@code server.max-connections-per-ip}). {@link dev.earshot.listener.ConnectionGuard}
 * enforces both on each HTTP/1 connection, which it sees from the moment Helidon creates it
 * (before the first byte is read) through {@link dev.earshot.listener.GuardedHttp1Provider},
 * a wrapper of Helidon's own HTTP/1 connection selector; with {@code server.tls},
 * {@link dev.earshot.listener.TlsHandshakeDeadline} gives the TLS handshake before it the same
 * deadline. docs/decisions.md says why Helidon's idle timeout could not do this.
 */
package dev.earshot.listener;

/**
 * Who may talk to Earshot: API keys from a file of hashes ({@link dev.earshot.auth.ApiKeys}),
 * short-lived tokens the gateway signs for browsers ({@link dev.earshot.auth.TokenSigner}), JWTs
 * from an identity provider ({@link dev.earshot.auth.JwtVerifier}), and the per-principal quotas
 * ({@link dev.earshot.auth.Quotas}). {@link dev.earshot.auth.Authenticator} is the one entry point
 * the WebSocket upgrade and the REST routes call; it knows nothing about either, only
 * {@link dev.earshot.auth.Credentials} and {@link dev.earshot.auth.Principal}s.
 */
package dev.earshot.auth;

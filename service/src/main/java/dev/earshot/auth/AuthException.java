package dev.earshot.auth;

/**
 * A credential that does not authenticate. The message says why in a few words and never holds
 * the credential; it goes to the client in the 401 body and to the log at DEBUG.
 */
public final class AuthException extends RuntimeException {
    AuthException(String message) {
        super(message, null, false, false);
    }
}

package dev.earshot.deepgram;

/** A listen request Deepgram would refuse with 400: {@code err_msg} is the message. */
public final class ListenRequestException extends Exception {
    public ListenRequestException(String message) {
        super(message, null, false, false);
    }
}

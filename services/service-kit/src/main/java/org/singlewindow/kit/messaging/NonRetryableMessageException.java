package org.singlewindow.kit.messaging;

/** A message that can never succeed (malformed, unknown type): dead-letter it at once. */
public class NonRetryableMessageException extends RuntimeException {

    public NonRetryableMessageException(String message) {
        super(message);
    }

    public NonRetryableMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.singlewindow.kit.messaging;

/**
 * Business handling of one message. Runs inside the transaction that also records the message id
 * in the inbox; whatever it writes (including outbox rows) commits or rolls back with it.
 * Throw {@link NonRetryableMessageException} for a message that can never succeed.
 */
@FunctionalInterface
public interface MessageHandler {

    void handle(IncomingMessage message);
}

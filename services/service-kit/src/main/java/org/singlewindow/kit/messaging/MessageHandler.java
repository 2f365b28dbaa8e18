package org.singlewindow.kit.messaging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Business handling of one message. Runs inside the transaction that also records the message id
 * in the inbox; whatever it writes (including outbox rows) commits or rolls back with it. Several
 * messages of a batch may share that transaction: they are handled one after the other, in delivery
 * order. Throw {@link NonRetryableMessageException} for a message that can never succeed.
 */
@FunctionalInterface
public interface MessageHandler {

    void handle(IncomingMessage message);

    /**
     * Called once per batch (or lone message) after its locks are taken and before the first
     * {@link #handle}, in the same transaction: a handler may read or claim what the whole batch needs
     * with one statement instead of one per message. Nothing by default.
     */
    default void prepare(List<IncomingMessage> messages) {
    }

    /**
     * What the handling of these messages will lock: the consumer takes every key of a batch, in one
     * key order, before the first handler runs ({@link Locks}), so two batches that touch the same
     * declarations, ledgers or accounts wait for each other instead of deadlocking. Runs in the
     * batch's transaction; may read the database. By default, each message's declaration.
     */
    default Collection<String> lockKeys(List<IncomingMessage> messages) {
        List<String> keys = new ArrayList<>(messages.size());
        for (IncomingMessage message : messages) {
            if (message.declarationId() != null) {
                keys.add(Locks.declaration(message.declarationId()));
            }
        }
        return keys;
    }
}

package org.singlewindow.kit.messaging;

import java.util.List;

/**
 * A set-based handler: takes a batch's new messages at once (in delivery order, inside the batch's
 * transaction, after its locks), so it can read and write the rows of the whole batch with a few
 * statements instead of a few per message. Alone, a message is a batch of one. If it throws, the
 * consumer rolls the batch back and hands the messages over again one at a time.
 */
public interface BatchMessageHandler extends MessageHandler {

    void handleAll(List<IncomingMessage> messages);

    @Override
    default void handle(IncomingMessage message) {
        handleAll(List.of(message));
    }
}

package org.singlewindow.kit.messaging;

import java.util.function.Function;

/**
 * Declare one of these as a bean to consume a queue reliably: manual acks, bounded prefetch,
 * inbox de-duplication, bounded retries, then the dead-letter queue.
 *
 * @param consumer          name recorded in the inbox (one per logical consumer)
 * @param queue             the queue to consume (see {@link org.singlewindow.contract.Topology})
 * @param handler           the business handling
 * @param expectedPublisher the broker user a message must have been published by
 *                          ({@link BrokerIdentity}); a message from anyone else is refused (dead-lettered,
 *                          never handled). May read the message (a receipt names its agency); null from
 *                          it, or {@link #ANY_PUBLISHER}, accepts any publisher (tests only)
 */
public record ConsumerBinding(String consumer, String queue, MessageHandler handler,
                             Function<IncomingMessage, String> expectedPublisher) {

    /** For a test's own queue, where the test publishes as whoever it likes. */
    public static final Function<IncomingMessage, String> ANY_PUBLISHER = message -> null;
}

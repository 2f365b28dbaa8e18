package org.singlewindow.kit.messaging;

/**
 * Declare one of these as a bean to consume a queue reliably: manual acks, bounded prefetch,
 * inbox de-duplication, bounded retries, then the dead-letter queue.
 *
 * @param consumer name recorded in the inbox (one per logical consumer)
 * @param queue    the queue to consume (see {@link org.singlewindow.contract.Topology})
 * @param handler  the business handling
 */
public record ConsumerBinding(String consumer, String queue, MessageHandler handler) {
}

package org.singlewindow.declaration.webhooks;

/** Where a webhook delivery stands (the {@code webhook_delivery.state} column, whose check constraint lists the same). */
public enum DeliveryState {
    /** Due at {@code next_attempt_at}; while an attempt runs, {@code next_attempt_at} is its lease. */
    PENDING,
    /** The destination answered 2xx. */
    DELIVERED,
    /** Every attempt failed, or its subscription was deleted; an enterprise may queue it again. */
    FAILED
}

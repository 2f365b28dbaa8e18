package org.singlewindow.contract;

/**
 * Standard message headers. The AMQP {@code message-id} and {@code correlation-id} properties carry
 * the message and correlation ids; these headers carry the rest. Trace context travels as W3C
 * {@code traceparent}/{@code tracestate}.
 */
public final class Headers {

    public static final String DECLARATION_ID = "sw-declaration-id";
    public static final String OCCURRED_AT = "sw-occurred-at";
    /** Logical message type, equal to the routing key it was first published with. */
    public static final String MESSAGE_TYPE = "sw-message-type";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    /** On a dead letter: why it failed, where, how often. */
    public static final String DEAD_LETTER_REASON = "sw-dead-letter-reason";
    public static final String DEAD_LETTER_QUEUE = "sw-dead-letter-queue";
    public static final String DEAD_LETTER_ATTEMPTS = "sw-dead-letter-attempts";
    public static final String DEAD_LETTER_AT = "sw-dead-letter-at";

    /**
     * On a message a service republished from its own queue (dead-lettered, replayed): the broker user
     * that first published it. Trusted only on a message whose validated AMQP {@code user-id} is the
     * consuming service's own user (it wrote the header itself).
     */
    public static final String PUBLISHED_BY = "sw-published-by";

    /** HTTP header carrying the correlation id end to end. */
    public static final String HTTP_CORRELATION_ID = "X-Correlation-Id";

    private Headers() {
    }
}

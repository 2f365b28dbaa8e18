package org.singlewindow.contract;

import java.util.List;

/**
 * Exchanges, routing keys and queues of the message backbone (v1). Names are logical and
 * versioned; they never carry Java class names.
 */
public final class Topology {

    /** Topic exchange carrying declaration events to every agency. */
    public static final String DECLARATIONS_EXCHANGE = "sw.declarations";
    /** Topic exchange carrying agency receipts back to the single window. */
    public static final String RECEIPTS_EXCHANGE = "sw.receipts";
    /** Direct exchange for dead letters; the routing key is the queue the message failed on. */
    public static final String DEAD_LETTER_EXCHANGE = "sw.dead-letter";

    public static final String DECLARATION_SUBMITTED = "declaration.submitted.v1";
    public static final String DECLARATION_CANCELLED = "declaration.cancelled.v1";
    public static final String DECLARATION_CONCLUDED = "declaration.concluded.v1";
    /** Binding pattern for every version-1 declaration event. */
    public static final String DECLARATION_EVENTS_V1 = "declaration.*.v1";
    /** Binding pattern for every version-1 receipt. */
    public static final String RECEIPTS_V1 = "receipt.*.*.v1";

    /** The single window's own queue of receipts. */
    public static final String DECLARATION_RECEIPTS_QUEUE = "sw.declaration.receipts";

    private Topology() {
    }

    public static String receiptRoutingKey(Agency agency, ReceiptStatus status) {
        return "receipt." + agency.key() + "." + status.word() + ".v1";
    }

    /** Each agency consumes declaration events from its own durable queue. */
    public static String agencyQueue(Agency agency) {
        return "sw." + agency.key() + ".declarations";
    }

    public static String deadLetterQueue(String queue) {
        return queue + ".dlq";
    }

    /** Every consumer queue of the platform, for a service that declares the whole topology. */
    public static List<String> consumerQueues() {
        var queues = new java.util.ArrayList<String>();
        for (Agency agency : Agency.values()) {
            queues.add(agencyQueue(agency));
        }
        queues.add(DECLARATION_RECEIPTS_QUEUE);
        return List.copyOf(queues);
    }
}

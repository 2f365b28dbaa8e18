package org.singlewindow.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    /** A new version of a declaration not yet final (a {@link DeclarationSubmitted} with its version): every agency decides again. */
    public static final String DECLARATION_AMENDED = "declaration.amended.v1";
    public static final String DECLARATION_CONCLUDED = "declaration.concluded.v1";
    /** The enterprise applied to withdraw a cleared declaration (CEB623); customs reviews the application. */
    public static final String DECLARATION_WITHDRAWAL_REQUESTED = "declaration.withdrawal-requested.v1";
    /** Customs approved the withdrawal; logistics (which knows where the goods are) answers. */
    public static final String DECLARATION_WITHDRAWAL_APPROVED = "declaration.withdrawal-approved.v1";
    /** Customs approved and logistics accepted a withdrawal: every agency restores what it committed on clearance. */
    public static final String DECLARATION_WITHDRAWN = "declaration.withdrawn.v1";
    /** The enterprise applied to return some lines of a cleared declaration (CEB625); customs reviews the application. */
    public static final String DECLARATION_RETURN_REQUESTED = "declaration.return-requested.v1";
    /** Customs approved a return (CEB626): logistics may receive the goods. */
    public static final String DECLARATION_RETURN_APPROVED = "declaration.return-approved.v1";
    /** The goods of an approved return arrived back in the zone; customs checks them before anything is settled. */
    public static final String DECLARATION_RETURN_ARRIVED = "declaration.return-arrived.v1";
    /** Customs refused a return (its application, or its goods on arrival): nothing of it is settled. */
    public static final String DECLARATION_RETURN_REFUSED = "declaration.return-refused.v1";
    /** Customs accepted the returned goods back in the zone: every agency settles the returned lines. */
    public static final String DECLARATION_RETURNED = "declaration.returned.v1";
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

    /** Every exchange of the platform, with its type. */
    public static Map<String, String> exchanges() {
        Map<String, String> exchanges = new LinkedHashMap<>();
        exchanges.put(DECLARATIONS_EXCHANGE, "topic");
        exchanges.put(RECEIPTS_EXCHANGE, "topic");
        exchanges.put(DEAD_LETTER_EXCHANGE, "direct");
        return exchanges;
    }

    /** The exchange a consumer queue is bound to, and with which pattern. */
    public static Map.Entry<String, String> bindingOf(String queue) {
        return queue.equals(DECLARATION_RECEIPTS_QUEUE) ? Map.entry(RECEIPTS_EXCHANGE, RECEIPTS_V1)
                : Map.entry(DECLARATIONS_EXCHANGE, DECLARATION_EVENTS_V1);
    }

    /**
     * RabbitMQ arguments of a consumer queue: a quorum queue with a delivery limit and the broker's own
     * dead-lettering to {@code <queue>.dlq} as a backstop (other AMQP brokers get a plain durable queue).
     */
    public static Map<String, Object> rabbitQueueArguments(String queue, int deliveryLimit) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("x-queue-type", "quorum");
        args.put("x-delivery-limit", deliveryLimit);
        args.put("x-dead-letter-exchange", DEAD_LETTER_EXCHANGE);
        args.put("x-dead-letter-routing-key", queue);
        return args;
    }

    /** RabbitMQ arguments of a dead-letter queue. */
    public static Map<String, Object> rabbitDeadLetterQueueArguments() {
        return Map.of("x-queue-type", "quorum");
    }

    /** The services that use the broker, each as its own user. */
    public static final List<String> BROKER_SERVICES = List.of("declaration", "customs", "inspection", "tax", "forex", "logistics");

    /** The broker user a service connects as unless the deployment names it otherwise. */
    public static String brokerUser(String service) {
        return "sw-" + service;
    }

    /**
     * What a service's broker user may do in the platform's virtual host, as RabbitMQ's three patterns:
     * configure nothing (the topology is provisioned), publish only to the exchanges it sends on (and to
     * the default exchange and the dead-letter exchange, to dead-letter and replay its own messages), read
     * only its own queue and that queue's dead letters.
     */
    public record Permissions(String configure, String write, String read) {
    }

    public static Permissions permissions(String service) {
        String queue = queueOf(service);
        String sends = service.equals("declaration") ? DECLARATIONS_EXCHANGE : RECEIPTS_EXCHANGE;
        return new Permissions("^$",
                "^(" + literal(sends) + "|" + literal(DEAD_LETTER_EXCHANGE) + "|amq\\.default)$",
                "^" + literal(queue) + "(\\.dlq)?$");
    }

    /**
     * RabbitMQ topic permission of an agency: on the receipts exchange it may publish only its own
     * receipts ({@code receipt.<agency>.…}); null for the window.
     */
    public static Permissions receiptTopicPermission(String service) {
        return service.equals("declaration") ? null
                : new Permissions(null, "^receipt\\." + literal(service) + "\\.", "^$");
    }

    /** A name as a regular expression matching only itself (names hold letters, digits, dots and dashes). */
    private static String literal(String name) {
        return name.replace(".", "\\.");
    }

    /** The queue a service consumes. */
    public static String queueOf(String service) {
        return service.equals("declaration") ? DECLARATION_RECEIPTS_QUEUE : agencyQueue(Agency.fromKey(service));
    }
}

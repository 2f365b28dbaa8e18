package org.singlewindow.kit.messaging;

import com.rabbitmq.client.Channel;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Declares the whole v1 topology each time a connection opens (so a restarted broker gets it back):
 * the exchanges, every consumer queue with its binding, and a dead-letter queue per consumer queue.
 * Every service declares all of it, so a message is never published to an exchange with no queue.
 *
 * <p>RabbitMQ gets quorum queues with a delivery limit and a broker-side dead-letter exchange as a
 * backstop; other AMQP 0-9-1 brokers (the embedded Qpid) reject those arguments, so there the
 * queues are plain durable queues and dead-lettering is done by the application alone.
 */
public final class BrokerTopology implements ConnectionListener {

    private static final Logger log = LoggerFactory.getLogger(BrokerTopology.class);

    private final int deliveryLimit;
    private volatile Boolean rabbitMq;

    public BrokerTopology(int deliveryLimit) {
        this.deliveryLimit = deliveryLimit;
    }

    @Override
    public void onCreate(Connection connection) {
        Object product = connection.getDelegate().getServerProperties().get("product");
        boolean rabbit = product != null && product.toString().toLowerCase(java.util.Locale.ROOT).contains("rabbitmq");
        this.rabbitMq = rabbit;
        try (Channel channel = connection.createChannel(false)) {
            declare(channel, rabbit);
            log.info("AMQP topology declared on {} ({})", product, rabbit ? "quorum queues, broker dead-lettering" : "plain durable queues");
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot declare the AMQP topology", e);
        }
    }

    /** True when connected to RabbitMQ; null before the first connection. */
    public Boolean isRabbitMq() {
        return rabbitMq;
    }

    private void declare(Channel channel, boolean rabbit) throws IOException {
        channel.exchangeDeclare(Topology.DECLARATIONS_EXCHANGE, "topic", true);
        channel.exchangeDeclare(Topology.RECEIPTS_EXCHANGE, "topic", true);
        channel.exchangeDeclare(Topology.DEAD_LETTER_EXCHANGE, "direct", true);
        for (Agency agency : Agency.values()) {
            String queue = Topology.agencyQueue(agency);
            declareQueue(channel, queue, rabbit);
            channel.queueBind(queue, Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_EVENTS_V1);
        }
        declareQueue(channel, Topology.DECLARATION_RECEIPTS_QUEUE, rabbit);
        channel.queueBind(Topology.DECLARATION_RECEIPTS_QUEUE, Topology.RECEIPTS_EXCHANGE, Topology.RECEIPTS_V1);
    }

    private void declareQueue(Channel channel, String queue, boolean rabbit) throws IOException {
        Map<String, Object> args = new HashMap<>();
        Map<String, Object> dlqArgs = new HashMap<>();
        if (rabbit) {
            args.put("x-queue-type", "quorum");
            args.put("x-delivery-limit", deliveryLimit);
            args.put("x-dead-letter-exchange", Topology.DEAD_LETTER_EXCHANGE);
            args.put("x-dead-letter-routing-key", queue);
            dlqArgs.put("x-queue-type", "quorum");
        }
        channel.queueDeclare(queue, true, false, false, args);
        String dlq = Topology.deadLetterQueue(queue);
        channel.queueDeclare(dlq, true, false, false, dlqArgs);
        channel.queueBind(dlq, Topology.DEAD_LETTER_EXCHANGE, queue);
    }
}

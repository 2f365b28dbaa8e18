package org.singlewindow.kit.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.singlewindow.contract.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Declares the whole v1 topology each time a connection opens (so a restarted broker gets it back):
 * the exchanges, every consumer queue with its binding, and a dead-letter queue per consumer queue.
 * Every service declares all of it, so a message is never published to an exchange with no queue.
 * Where the operator provisions the topology and each service's broker user may not configure it
 * ({@code sw.messaging.topology=verify}), a service only checks, passively, that every exchange and
 * queue is there, and refuses to go on (naming what is missing) otherwise.
 *
 * <p>RabbitMQ gets quorum queues with a delivery limit and a broker-side dead-letter exchange as a
 * backstop; other AMQP 0-9-1 brokers (the embedded Qpid) reject those arguments, so there the
 * queues are plain durable queues and dead-lettering is done by the application alone.
 */
public final class BrokerTopology implements ConnectionListener {

    private static final Logger log = LoggerFactory.getLogger(BrokerTopology.class);

    private final int deliveryLimit;
    private final boolean declare;
    private volatile Boolean rabbitMq;

    public BrokerTopology(int deliveryLimit, boolean declare) {
        this.deliveryLimit = deliveryLimit;
        this.declare = declare;
    }

    @Override
    public void onCreate(Connection connection) {
        Object product = connection.getDelegate().getServerProperties().get("product");
        boolean rabbit = product != null && product.toString().toLowerCase(java.util.Locale.ROOT).contains("rabbitmq");
        this.rabbitMq = rabbit;
        if (!declare) {
            verify(connection);
            log.info("AMQP topology provisioned on {}: every exchange and queue is there", product);
            return;
        }
        try (Channel channel = connection.createChannel(false)) {
            declare(channel, rabbit);
            log.info("AMQP topology declared on {} ({})", product, rabbit ? "quorum queues, broker dead-lettering" : "plain durable queues");
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot declare the AMQP topology", e);
        }
    }

    /** Each exchange and queue checked passively (a missing one closes the channel: a fresh one per check). */
    private static void verify(Connection connection) {
        List<String> missing = new ArrayList<>();
        for (String exchange : Topology.exchanges().keySet()) {
            if (!exists(connection, channel -> channel.exchangeDeclarePassive(exchange))) {
                missing.add("exchange " + exchange);
            }
        }
        for (String queue : Topology.consumerQueues()) {
            for (String name : List.of(queue, Topology.deadLetterQueue(queue))) {
                if (!exists(connection, channel -> channel.queueDeclarePassive(name))) {
                    missing.add("queue " + name);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("sw.messaging.topology=verify, but the broker lacks " + String.join(", ", missing)
                    + ": provision the topology (infra/rabbitmq/definitions.json) before the services start");
        }
    }

    private interface Check {
        void run(Channel channel) throws IOException;
    }

    private static boolean exists(Connection connection, Check check) {
        try (Channel channel = connection.createChannel(false)) {
            check.run(channel);
            return true;
        } catch (IOException e) {
            return false;
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer a passive declare", e);
        } catch (ShutdownSignalException | AmqpException e) {
            return false;
        }
    }

    /** True when connected to RabbitMQ; null before the first connection. */
    public Boolean isRabbitMq() {
        return rabbitMq;
    }

    private void declare(Channel channel, boolean rabbit) throws IOException {
        for (var exchange : Topology.exchanges().entrySet()) {
            channel.exchangeDeclare(exchange.getKey(), exchange.getValue(), true);
        }
        for (String queue : Topology.consumerQueues()) {
            String dlq = Topology.deadLetterQueue(queue);
            channel.queueDeclare(queue, true, false, false, rabbit ? Topology.rabbitQueueArguments(queue, deliveryLimit) : Map.of());
            channel.queueDeclare(dlq, true, false, false, rabbit ? Topology.rabbitDeadLetterQueueArguments() : Map.of());
            var binding = Topology.bindingOf(queue);
            channel.queueBind(queue, binding.getKey(), binding.getValue());
            channel.queueBind(dlq, Topology.DEAD_LETTER_EXCHANGE, queue);
        }
    }
}

package org.singlewindow.kit.messaging;

import com.rabbitmq.client.Channel;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.AmqpTimeoutException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishing with Spring AMQP's correlated publisher confirms ({@code spring.rabbitmq.publisher-confirm-type=correlated},
 * {@code publisher-returns}, so every publish is mandatory): each message is settled by its own confirm — or by its
 * return, which the broker sends before the confirm when no queue is bound for it. A negative confirm or a return
 * names that message alone, never another user's publish on the same cached channel.
 * <p>
 * A channel that closes while confirms are awaited answers them negatively: that is the broker's failure, not the
 * messages', and is thrown, so the caller retries them all.
 */
final class Confirms {

    /** One message to publish, mandatory. */
    record Publication(String exchange, String routingKey, Message message) {
    }

    private Confirms() {
    }

    /**
     * Publish every message on one channel and wait for the broker's answer to each.
     *
     * @return the positions of the messages the broker refused or returned, with why
     * @throws AmqpTimeoutException if an answer is missing after {@code timeout}
     * @throws AmqpIOException      if the channel closed meanwhile
     */
    static Map<Integer, String> publish(RabbitTemplate rabbit, List<Publication> publications, Duration timeout) {
        return rabbit.invoke(operations -> publishOnOneChannel(operations, publications, timeout));
    }

    /** Publish one message and wait for the broker to take it; throws, saying why, if it did not. */
    static void publishOne(RabbitOperations operations, Publication publication, Duration timeout) {
        String refused = publishOnOneChannel(operations, List.of(publication), timeout).get(0);
        if (refused != null) {
            throw new AmqpIOException(new IOException(refused + ": message "
                    + publication.message().getMessageProperties().getMessageId() + " to " + publication.exchange()
                    + "/" + publication.routingKey()));
        }
    }

    private static Map<Integer, String> publishOnOneChannel(RabbitOperations operations, List<Publication> publications,
                                                            Duration timeout) {
        List<CorrelationData> sent = new ArrayList<>(publications.size());
        for (Publication p : publications) {
            CorrelationData correlation = new CorrelationData();
            operations.send(p.exchange(), p.routingKey(), p.message(), correlation);
            sent.add(correlation);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, String> refused = new HashMap<>();
        for (int i = 0; i < sent.size(); i++) {
            CorrelationData.Confirm confirm = await(sent.get(i), deadline, i, sent.size(), timeout);
            ReturnedMessage returned = sent.get(i).getReturned();
            if (returned != null) {
                refused.put(i, "returned by the broker: " + returned.getReplyCode() + " " + returned.getReplyText()
                        + " (exchange " + returned.getExchange() + ", routing key " + returned.getRoutingKey() + ")");
            } else if (!confirm.ack()) {
                refused.put(i, "refused by the broker (negative publisher confirm"
                        + (confirm.reason() == null ? ")" : ": " + confirm.reason() + ")"));
            }
        }
        if (!refused.isEmpty() && !Boolean.TRUE.equals(operations.execute(Channel::isOpen))) {
            throw new AmqpIOException(new IOException("the channel closed before the broker confirmed "
                    + refused.size() + " of " + publications.size() + " messages: " + refused.values().iterator().next()));
        }
        return refused;
    }

    private static CorrelationData.Confirm await(CorrelationData correlation, long deadline, int position, int of,
                                                 Duration timeout) {
        try {
            return correlation.getFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AmqpTimeoutException("messages from position " + position + " of " + of
                    + " not confirmed within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmqpTimeoutException("interrupted while waiting for publisher confirms");
        } catch (ExecutionException e) {
            throw new AmqpIOException(new IOException("publisher confirm failed", e.getCause()));
        }
    }
}

package org.singlewindow.kit.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ReturnListener;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.AmqpTimeoutException;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Publishing on a channel in confirm mode where each message is settled by its own confirm: acknowledged,
 * refused (a negative confirm) or returned (mandatory, and no queue bound for it).
 * <p>
 * The client's {@code waitForConfirms} is not used: it answers for every publish on the channel since it
 * was last called, and the template's channels are cached and shared. A negative confirm that an earlier
 * user of the channel never waited for (the relay's refused row) made a later dead letter look refused
 * though the broker had taken it — the failed message went back to its queue and was dead-lettered twice.
 */
final class PublisherConfirms {

    /** One message to publish, mandatory. */
    record Publication(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
    }

    private PublisherConfirms() {
    }

    /**
     * Publish every message and wait for the broker's answer to each.
     *
     * @return the positions of the messages the broker refused or returned, with why
     * @throws AmqpTimeoutException if an answer is missing after {@code timeoutMs}
     */
    static Map<Integer, String> publish(Channel channel, List<Publication> publications, long timeoutMs) throws IOException {
        NavigableMap<Long, Integer> unconfirmed = new ConcurrentSkipListMap<>();
        // returns are matched by message id (a message without one matches a return without one)
        Map<String, Integer> byMessageId = new HashMap<>();
        Map<Integer, String> refused = new ConcurrentHashMap<>();
        CountDownLatch settledAll = new CountDownLatch(publications.size());
        ReturnListener returns = (replyCode, replyText, exchange, routingKey, properties, body) -> {
            Integer position = byMessageId.get(String.valueOf(properties.getMessageId()));
            if (position != null) {
                refused.put(position, "returned by the broker: " + replyCode + " " + replyText
                        + " (exchange " + exchange + ", routing key " + routingKey + ")");
            }
        };
        ConfirmListener confirms = new ConfirmListener() {
            @Override
            public void handleAck(long seq, boolean multiple) {
                settle(seq, multiple, null);
            }

            @Override
            public void handleNack(long seq, boolean multiple) {
                settle(seq, multiple, "refused by the broker (negative publisher confirm)");
            }

            private void settle(long seq, boolean multiple, String error) {
                // only this call's sequence numbers are in the map: answers to anyone else's publishes are ignored
                var settled = multiple ? unconfirmed.headMap(seq, true) : unconfirmed.subMap(seq, true, seq, true);
                for (var it = settled.entrySet().iterator(); it.hasNext(); ) {
                    int position = it.next().getValue();
                    it.remove();
                    if (error != null) {
                        refused.putIfAbsent(position, error);
                    }
                    settledAll.countDown();
                }
            }
        };
        channel.addReturnListener(returns);
        channel.addConfirmListener(confirms);
        try {
            for (int i = 0; i < publications.size(); i++) {
                Publication p = publications.get(i);
                byMessageId.put(String.valueOf(p.properties().getMessageId()), i);
                unconfirmed.put(channel.getNextPublishSeqNo(), i);
                channel.basicPublish(p.exchange(), p.routingKey(), true, p.properties(), p.body());
            }
            if (!settledAll.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new AmqpTimeoutException(unconfirmed.size() + " of " + publications.size()
                        + " messages not confirmed within " + timeoutMs + " ms");
            }
            return refused;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmqpTimeoutException("interrupted while waiting for publisher confirms");
        } finally {
            channel.removeConfirmListener(confirms);
            channel.removeReturnListener(returns);
        }
    }

    /** Publish one message and wait for the broker to take it; throws, saying why, if it did not. */
    static void publishOne(Channel channel, Publication publication, long timeoutMs) throws IOException {
        String refused = publish(channel, List.of(publication), timeoutMs).get(0);
        if (refused != null) {
            throw new AmqpIOException(new IOException(refused + ": message " + publication.properties().getMessageId()
                    + " to " + publication.exchange() + "/" + publication.routingKey()));
        }
    }
}

package org.singlewindow.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker's own limit for the platform's message pattern, with no service, database or HTTP in the
 * way: one durable, persistent publish (with publisher confirms) to a fanout exchange bound to five
 * durable queues — quorum queues on RabbitMQ, as the platform declares them; each queue consumed with
 * manual acknowledgements and bounded prefetch by as many consumers as an agency runs, which publish a
 * persistent receipt and acknowledge the delivery once the broker confirms the receipt; one consumer collects the five receipts of each
 * message. A window bounds the messages in flight. Throughput counts messages whose five receipts came back.
 * <p>
 * <b>The same flow as a declaration's</b> ({@code flow}): once the five receipts of a message are in, the collector
 * publishes a follow-up (as the window publishes {@code concluded}) to the same five queues, confirmed, acknowledging
 * the fifth receipt only then; the five answer it with a second receipt each. Twelve confirmed publishes and twelve
 * acknowledged deliveries per flow, as the platform's twelve messages per declaration; throughput counts flows
 * whose ten receipts came back.
 */
final class RawBroker {

    /** Names of this run's own exchanges and queues (deleted at the end). */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final List<String> AGENCIES = List.of("customs", "inspection", "tax", "forex", "logistics");
    /** The follow-up of a flow: about what the window's {@code concluded} carries. */
    private static final byte[] FOLLOW_UP = ("{\"declarationId\":\"00000000-0000-0000-0000-000000000000\",\"status\":\"RELEASED\","
            + "\"statusCode\":800,\"concludedAt\":\"2026-12-07T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);

    record Result(String broker, String queueType, boolean flow, int messages, int window, int consumersPerQueue,
                  double seconds, double throughput, Histogram latency, Map<String, ProcessMonitor.Usage> processes) {

        Result withProcesses(Map<String, ProcessMonitor.Usage> measured) {
            return new Result(broker, queueType, flow, messages, window, consumersPerQueue, seconds, throughput, latency, measured);
        }

        /** What the pattern is, for reports. */
        String pattern() {
            return flow ? "the same flow as a declaration's" : "one publish, five receipts";
        }
    }

    private RawBroker() {
    }

    /**
     * One run of the pattern.
     *
     * @param quorum quorum queues (as the platform declares them on RabbitMQ); false: classic durable queues
     * @param flow   the declaration's whole flow (a follow-up after the five receipts, five more receipts)
     */
    static Result run(String host, int port, String vhost, boolean quorum, boolean flow, byte[] payload, int messages,
                      int window, int consumersPerQueue, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setVirtualHost(vhost);
        factory.setUsername("guest");
        factory.setPassword("guest");
        try (Connection agencies = factory.newConnection("sw-bench-raw-agencies");
             Connection window0 = factory.newConnection("sw-bench-raw-publisher")) {
            Object product = window0.getServerProperties().get("product");
            boolean rabbit = product != null && product.toString().toLowerCase(Locale.ROOT).contains("rabbitmq");
            String queueType = rabbit && quorum ? "quorum" : "classic";
            String name = "sw.bench.raw." + RUN + "." + queueType + (flow ? ".flow" : "");
            String fanoutExchange = name + ".declarations";
            String receiptExchange = name + ".receipts";
            Channel setup = window0.createChannel();
            declare(setup, fanoutExchange, receiptExchange, queueType.equals("quorum"));

            long[] sentAt = new long[messages];
            Histogram latency = PlatformLoad.histogram();
            Semaphore inFlight = new Semaphore(window);
            CountDownLatch done = new CountDownLatch(messages);
            Map<Integer, AtomicInteger> receipts = new ConcurrentHashMap<>();
            AtomicInteger nacked = new AtomicInteger();

            // the receipt collector; in a flow, the fifth receipt of a message sends its follow-up and is acknowledged once
            // the broker confirmed it, and the tenth completes the message
            int receiptsPerMessage = flow ? 2 * AGENCIES.size() : AGENCIES.size();
            Channel collector = window0.createChannel();
            collector.basicQos(500);
            ConcurrentNavigableMap<Long, Long> followUpsUnconfirmed = new ConcurrentSkipListMap<>();
            if (flow) {
                collector.confirmSelect();
                collector.addConfirmListener((seq, multiple) -> ackConfirmed(collector, followUpsUnconfirmed, seq, multiple),
                        (seq, multiple) -> nacked.incrementAndGet());
            }
            collector.basicConsume(receiptExchange + ".q", false, new DefaultConsumer(collector) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                        throws IOException {
                    int n = Integer.parseInt(properties.getMessageId());
                    int received = receipts.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
                    if (flow && received == AGENCIES.size()) {
                        followUpsUnconfirmed.put(getChannel().getNextPublishSeqNo(), envelope.getDeliveryTag());
                        getChannel().basicPublish(fanoutExchange, "", persistent(properties.getMessageId()), FOLLOW_UP);
                        return;
                    }
                    if (received == receiptsPerMessage) {
                        receipts.remove(n);
                        synchronized (latency) {
                            latency.recordValue(Math.max(0, (System.nanoTime() - sentAt[n]) / 1000));
                        }
                        inFlight.release();
                        done.countDown();
                    }
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                }
            });

            // the five "agencies": receive, publish a confirmed receipt, then acknowledge
            for (String agency : AGENCIES) {
                for (int c = 0; c < consumersPerQueue; c++) {
                    Channel channel = agencies.createChannel();
                    channel.confirmSelect();
                    channel.basicQos(50);
                    byte[] receipt = ("{\"agency\":\"" + agency + "\",\"kind\":\"ACKNOWLEDGEMENT\",\"statusCode\":120}")
                            .getBytes(StandardCharsets.UTF_8);
                    // each delivery is acknowledged once the broker has confirmed its receipt, without
                    // waiting in line: publishes are pipelined, acks follow the confirms (as the platform's
                    // relay confirms a batch, not one message at a time)
                    ConcurrentNavigableMap<Long, Long> unconfirmed = new ConcurrentSkipListMap<>();
                    channel.addConfirmListener((seq, multiple) -> ackConfirmed(channel, unconfirmed, seq, multiple),
                            (seq, multiple) -> nacked.incrementAndGet());
                    channel.basicConsume(fanoutExchange + "." + agency, false, new DefaultConsumer(channel) {
                        @Override
                        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                                throws IOException {
                            unconfirmed.put(channel.getNextPublishSeqNo(), envelope.getDeliveryTag());
                            channel.basicPublish(receiptExchange, "receipt", persistent(properties.getMessageId()), receipt);
                        }
                    });
                }
            }

            // the publisher: confirms on, at most `window` messages between publish and fifth receipt
            Channel publisher = window0.createChannel();
            publisher.confirmSelect();
            publisher.addConfirmListener((seq, multiple) -> { }, (seq, multiple) -> nacked.incrementAndGet());
            long start = System.nanoTime();
            for (int n = 0; n < messages; n++) {
                inFlight.acquire();
                sentAt[n] = System.nanoTime();
                publisher.basicPublish(fanoutExchange, "", persistent(Integer.toString(n)), payload);
            }
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("raw broker run: " + done.getCount() + " of " + messages
                        + " messages did not get their " + receiptsPerMessage + " receipts within " + timeout.toSeconds() + " s");
            }
            publisher.waitForConfirmsOrDie(10_000);
            if (nacked.get() > 0) {
                throw new IllegalStateException("raw broker run: the broker refused " + nacked.get() + " publishes");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            delete(window0.createChannel(), fanoutExchange, receiptExchange);
            return new Result(String.valueOf(product) + " " + window0.getServerProperties().get("version"), queueType, flow,
                    messages, window, consumersPerQueue, seconds, messages / seconds, latency, Map.of());
        }
    }

    /** Acknowledge the deliveries whose own publish the broker has now confirmed. */
    private static void ackConfirmed(Channel channel, ConcurrentNavigableMap<Long, Long> unconfirmed, long seq, boolean multiple)
            throws IOException {
        var confirmed = multiple ? unconfirmed.headMap(seq, true) : unconfirmed.subMap(seq, true, seq, true);
        for (long deliveryTag : confirmed.values()) {
            channel.basicAck(deliveryTag, false);
        }
        confirmed.clear();
    }

    private static AMQP.BasicProperties persistent(String messageId) {
        return new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json").messageId(messageId).build();
    }

    private static void declare(Channel channel, String fanoutExchange, String receiptExchange, boolean quorum) throws IOException {
        Map<String, Object> args = new HashMap<>();
        if (quorum) {
            args.put("x-queue-type", "quorum");
        }
        channel.exchangeDeclare(fanoutExchange, "fanout", true);
        channel.exchangeDeclare(receiptExchange, "direct", true);
        for (String agency : AGENCIES) {
            channel.queueDeclare(fanoutExchange + "." + agency, true, false, false, args);
            channel.queueBind(fanoutExchange + "." + agency, fanoutExchange, "");
        }
        channel.queueDeclare(receiptExchange + ".q", true, false, false, args);
        channel.queueBind(receiptExchange + ".q", receiptExchange, "receipt");
    }

    private static void delete(Channel channel, String fanoutExchange, String receiptExchange) throws IOException {
        for (String agency : AGENCIES) {
            channel.queueDelete(fanoutExchange + "." + agency);
        }
        channel.queueDelete(receiptExchange + ".q");
        channel.exchangeDelete(fanoutExchange);
        channel.exchangeDelete(receiptExchange);
    }

    static String summary(Result r) {
        return String.format(Locale.ROOT, """
                raw broker pattern, %s, on %s (%s queues, window %d, %d consumers per queue): %d %s in %.1f s
                  throughput %.1f %s/s with all %d receipts back
                  latency ms        p50      p90      p99    p99.9      max
                  all receipts   %s
                  CPU %.2f ms per %s (broker and the pattern's clients)""",
                r.pattern(), r.broker(), r.queueType(), r.window(), r.consumersPerQueue(), r.messages(), r.flow() ? "flows" : "messages",
                r.seconds(), r.throughput(), r.flow() ? "flows" : "messages", r.flow() ? 10 : 5,
                PlatformLoad.row(r.latency()), Report.cpuMsPerMessage(r), r.flow() ? "flow" : "message");
    }
}

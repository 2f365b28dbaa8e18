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
 */
final class RawBroker {

    /** Names of this run's own exchanges and queues (deleted at the end). */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final List<String> AGENCIES = List.of("customs", "inspection", "tax", "forex", "logistics");

    record Result(String broker, String queueType, int messages, int window, int consumersPerQueue,
                  double seconds, double throughput, Histogram latency, Map<String, ProcessMonitor.Usage> processes) {

        Result withProcesses(Map<String, ProcessMonitor.Usage> measured) {
            return new Result(broker, queueType, messages, window, consumersPerQueue, seconds, throughput, latency, measured);
        }
    }

    private RawBroker() {
    }

    /**
     * One run of the pattern.
     *
     * @param quorum quorum queues (as the platform declares them on RabbitMQ); false: classic durable queues
     */
    static Result run(String host, int port, String vhost, boolean quorum, byte[] payload, int messages, int window,
                      int consumersPerQueue, Duration timeout) throws IOException, TimeoutException, InterruptedException {
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
            String fanoutExchange = "sw.bench.raw." + RUN + "." + queueType + ".declarations";
            String receiptExchange = "sw.bench.raw." + RUN + "." + queueType + ".receipts";
            Channel setup = window0.createChannel();
            declare(setup, fanoutExchange, receiptExchange, queueType.equals("quorum"));

            long[] sentAt = new long[messages];
            Histogram latency = PlatformLoad.histogram();
            Semaphore inFlight = new Semaphore(window);
            CountDownLatch done = new CountDownLatch(messages);
            Map<Integer, AtomicInteger> receipts = new ConcurrentHashMap<>();
            AtomicInteger nacked = new AtomicInteger();

            // the receipt collector
            Channel collector = window0.createChannel();
            collector.basicQos(500);
            collector.basicConsume(receiptExchange + ".q", false, new DefaultConsumer(collector) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                        throws IOException {
                    int n = Integer.parseInt(properties.getMessageId());
                    if (receipts.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet() == AGENCIES.size()) {
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
                    channel.addConfirmListener((seq, multiple) -> {
                        var confirmed = multiple ? unconfirmed.headMap(seq, true) : unconfirmed.subMap(seq, true, seq, true);
                        for (long deliveryTag : confirmed.values()) {
                            channel.basicAck(deliveryTag, false);
                        }
                        confirmed.clear();
                    }, (seq, multiple) -> nacked.incrementAndGet());
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
                        + " messages did not get their five receipts within " + timeout.toSeconds() + " s");
            }
            publisher.waitForConfirmsOrDie(10_000);
            if (nacked.get() > 0) {
                throw new IllegalStateException("raw broker run: the broker refused " + nacked.get() + " publishes");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            delete(window0.createChannel(), fanoutExchange, receiptExchange);
            return new Result(String.valueOf(product) + " " + window0.getServerProperties().get("version"), queueType,
                    messages, window, consumersPerQueue, seconds, messages / seconds, latency, Map.of());
        }
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
                raw broker pattern on %s (%s queues, window %d, %d consumers per queue): %d messages in %.1f s
                  throughput %.1f messages/s with all five receipts back
                  latency ms        p50      p90      p99    p99.9      max
                  five receipts  %s
                  CPU %.2f ms per message (broker and the pattern's clients)""",
                r.broker(), r.queueType(), r.window(), r.consumersPerQueue(), r.messages(), r.seconds(), r.throughput(),
                PlatformLoad.row(r.latency()), Report.cpuMsPerMessage(r));
    }
}

package org.singlewindow.kit.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Headers;
import org.singlewindow.kit.KitProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes outbox rows. Each round locks a batch ({@code FOR UPDATE SKIP LOCKED}, so several
 * instances share the work), publishes it on one channel, waits for the broker's publisher
 * confirms, and only then deletes the rows in the same transaction. If the process dies, the
 * broker fails or a confirm is missing, the transaction rolls back and the rows are sent again:
 * delivery is at least once, and consumers de-duplicate by message id.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final long CONFIRM_TIMEOUT_MS = 10_000;

    private record Row(long id, UUID messageId, String exchange, String routingKey, String correlationId,
                       UUID declarationId, String headers, byte[] payload, Timestamp createdAt) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final RabbitTemplate rabbit;
    private final JsonMapper json;
    private final KitProperties.Outbox settings;
    private final Counter published;
    private final Counter failures;
    private volatile boolean running;
    private volatile Thread worker;

    public OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, RabbitTemplate rabbit, JsonMapper json,
                       KitProperties.Outbox settings, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.rabbit = rabbit;
        this.json = json;
        this.settings = settings;
        this.published = Counter.builder("sw.outbox.published").description("Outbox rows published and confirmed").register(meters);
        this.failures = Counter.builder("sw.outbox.failures").description("Relay rounds that failed and will be retried").register(meters);
        Gauge.builder("sw.outbox.backlog", this, OutboxRelay::backlogSafely).description("Rows waiting in the outbox").register(meters);
        Gauge.builder("sw.outbox.oldest.age.seconds", this, OutboxRelay::oldestAgeSafely).description("Age of the oldest unsent row").register(meters);
    }

    /** Ask the relay to look now (called after a commit that added rows). */
    public void wake() {
        Thread t = worker;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofPlatform().daemon().name("outbox-relay").start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        Thread t = worker;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(CONFIRM_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // start before the consumers (which add rows), stop after them
        return Integer.MAX_VALUE - 200;
    }

    private void loop() {
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try {
                int sent = relayOnce();
                backoff = Duration.ofMillis(100);
                if (sent < settings.batchSize()) {
                    LockSupport.parkNanos(settings.pollInterval().toNanos());
                }
            } catch (RuntimeException e) {
                failures.increment();
                log.warn("outbox relay round failed, retrying in {} ms: {}", backoff.toMillis(), e.toString());
                // the whole pause, even when commits wake the relay meanwhile: during a broker outage every
                // new row would otherwise start a connection attempt at once
                long retryAt = System.nanoTime() + backoff.toNanos();
                for (long left = backoff.toNanos(); running && left > 0; left = retryAt - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
                backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : backoff.multipliedBy(2);
            }
        }
    }

    /** One round: publish and confirm up to a batch of rows. Visible for tests. */
    public int relayOnce() {
        Integer sent = tx.execute(status -> {
            List<Row> rows = jdbc.sql("""
                            select id, message_id, exchange, routing_key, correlation_id, declaration_id,
                                   headers::text as headers, payload, created_at
                            from outbox order by id limit ? for update skip locked""")
                    .param(settings.batchSize())
                    .query(Row.class).list();
            if (rows.isEmpty()) {
                return 0;
            }
            rabbit.invoke(ops -> {
                for (Row row : rows) {
                    ops.send(row.exchange(), row.routingKey(), toMessage(row));
                }
                ops.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
                return null;
            });
            Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
            jdbc.sql("delete from outbox where id = any(?)").param(ids).update();
            return rows.size();
        });
        int n = sent == null ? 0 : sent;
        if (n > 0) {
            published.increment(n);
        }
        return n;
    }

    private Message toMessage(Row row) {
        MessageProperties props = new MessageProperties();
        props.setMessageId(row.messageId().toString());
        props.setCorrelationId(row.correlationId());
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setContentEncoding("UTF-8");
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        props.setType(row.routingKey());
        props.setTimestamp(new Date(row.createdAt().getTime()));
        Map<String, Object> headers = json.readValue(row.headers(), new TypeReference<Map<String, Object>>() {
        });
        headers.forEach(props::setHeader);
        if (row.declarationId() != null) {
            props.setHeader(Headers.DECLARATION_ID, row.declarationId().toString());
        }
        return new Message(row.payload(), props);
    }

    private double backlogSafely() {
        try {
            Long n = jdbc.sql("select count(*) from outbox").query(Long.class).single();
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private double oldestAgeSafely() {
        try {
            Double age = jdbc.sql("select coalesce(extract(epoch from now() - min(created_at)), 0) from outbox")
                    .query(Double.class).single();
            return age == null ? 0 : age;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

}

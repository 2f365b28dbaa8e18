package org.singlewindow.kit.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Headers;
import org.singlewindow.kit.KitProperties;
import org.singlewindow.kit.PollingWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes outbox rows. Each round, in one transaction: claims and deletes a batch in one statement
 * ({@code delete … where id in (select … for update skip locked) returning …}, so several instances
 * share the work; through the {@code outbox_ready} index), publishes the batch on one channel
 * (mandatory, persistent), waits once for the broker's confirms of all of it, and commits without
 * waiting for the disk (a lost delete only sends a row again). If the process dies, the broker fails or a confirm is
 * missing, the transaction rolls back and the rows are sent again: delivery is at least once, and
 * consumers de-duplicate by message id.
 * <p>
 * A row the broker refuses (a negative confirm) or returns (no queue bound for it) does not hold up
 * the others: it is put back with its attempt count and last error, tried again after a growing pause,
 * and parked after {@code sw.outbox.max-attempts} tries — visible in the outbox status API and the
 * {@code sw.outbox.parked} gauge, which an alert watches.
 */
public class OutboxRelay extends PollingWorker {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    record Row(long id, UUID messageId, String exchange, String routingKey, String correlationId, UUID declarationId,
               Timestamp occurredAt, String traceparent, String tracestate, byte[] payload, Timestamp createdAt, int attempts) {
    }

    private final BrokerIdentity identity;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final RabbitTemplate rabbit;
    private final KitProperties.Outbox settings;
    private final Counter published;
    private final Counter failures;
    private final Counter refused;

    public OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, RabbitTemplate rabbit, KitProperties.Outbox settings,
                       MeterRegistry meters, BrokerIdentity identity) {
        super("outbox-relay", new Pacing(settings.batchSize(), settings.pollInterval(), settings.maxBackoff()));
        this.identity = identity;
        this.jdbc = jdbc;
        this.tx = tx;
        this.rabbit = rabbit;
        this.settings = settings;
        this.published = Counter.builder("sw.outbox.published").description("Outbox rows published and confirmed").register(meters);
        this.failures = Counter.builder("sw.outbox.failures").description("Relay rounds that failed and will be retried").register(meters);
        this.refused = Counter.builder("sw.outbox.refused")
                .description("Rows the broker refused or returned (tried again later, parked after the last try)").register(meters);
        Gauge.builder("sw.outbox.backlog", this, r -> r.readSafely("select count(*)::float8 from outbox where parked_at is null"))
                .description("Rows waiting in the outbox").register(meters);
        Gauge.builder("sw.outbox.oldest.age.seconds", this, r -> r.readSafely("""
                        select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 from outbox where parked_at is null"""))
                .description("Age of the oldest unsent row").register(meters);
        Gauge.builder("sw.outbox.parked", this, r -> r.readSafely("select count(*)::float8 from outbox where parked_at is not null"))
                .description("Rows parked after the broker refused or returned them too often").register(meters);
    }

    @Override
    public int getPhase() {
        // start before the consumers (which add rows), stop after them
        return Integer.MAX_VALUE - 200;
    }

    @Override
    protected int round() {
        return relayOnce();
    }

    @Override
    protected void failed(RuntimeException e) {
        failures.increment();
    }

    @Override
    protected Duration stopTimeout() {
        return CONFIRM_TIMEOUT;
    }

    /** One round: claim, publish and confirm up to a batch of rows; returns how many were claimed. Visible for tests. */
    public int relayOnce() {
        Integer count = tx.execute(status -> {
            // the claim walks the ready index from its head (never the whole churned table: V0_10), and this
            // transaction's commit need not wait for the disk: if a crash loses the deletes, the rows are sent
            // again and the consumers' inboxes ignore them, which at-least-once delivery allows anyway
            jdbc.sql("set local enable_seqscan = off; set local synchronous_commit = off").update();
            List<Row> claimed = jdbc.sql("""
                            delete from outbox where id in (
                                select id from outbox
                                where parked_at is null and (next_attempt_at is null or next_attempt_at <= now())
                                order by id limit ? for update skip locked)
                            returning id, message_id, exchange, routing_key, correlation_id, declaration_id, occurred_at,
                                      traceparent, tracestate, payload, created_at, attempts""")
                    .param(settings.batchSize())
                    .query(Row.class).list();
            if (claimed.isEmpty()) {
                return 0;
            }
            List<Row> rows = claimed.stream().sorted(Comparator.comparingLong(Row::id)).toList();
            Map<Long, String> refusedRows = publish(rows);
            if (!refusedRows.isEmpty()) {
                putBack(rows, refusedRows);
            }
            published.increment(rows.size() - refusedRows.size());
            return rows.size();
        });
        return count == null ? 0 : count;
    }

    /**
     * Publish the rows on one channel and wait for every confirm.
     *
     * @return the rows the broker refused or returned, by id, with why
     */
    private Map<Long, String> publish(List<Row> rows) {
        List<Confirms.Publication> publications = rows.stream()
                .map(row -> new Confirms.Publication(row.exchange(), row.routingKey(), new Message(row.payload(), properties(row))))
                .toList();
        Map<Long, String> refusedRows = new HashMap<>();
        Confirms.publish(rabbit, publications, CONFIRM_TIMEOUT)
                .forEach((position, error) -> refusedRows.put(rows.get(position).id(), error));
        return refusedRows;
    }

    /** Rows the broker would not take go back, with their attempt and error; parked after the last attempt. */
    private void putBack(List<Row> rows, Map<Long, String> refusedRows) {
        for (Row row : rows) {
            String error = refusedRows.get(row.id());
            if (error == null) {
                continue;
            }
            int attempts = row.attempts() + 1;
            boolean park = attempts >= settings.maxAttempts();
            long pauseMs = settings.retryAfter().toMillis() << Math.min(attempts - 1, 16);
            refused.increment();
            log.warn("outbox row {} (message {}, {}) {}, attempt {} of {}: {}", row.id(), row.messageId(), row.routingKey(),
                    park ? "parked" : "will be tried again", attempts, settings.maxAttempts(), error);
            jdbc.sql("""
                            insert into outbox (id, message_id, exchange, routing_key, correlation_id, declaration_id, occurred_at,
                                traceparent, tracestate, payload, created_at, attempts, last_error, next_attempt_at, parked_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now() + ? * interval '1 millisecond',
                                    case when ? then now() end)""")
                    .params(row.id(), row.messageId(), row.exchange(), row.routingKey(), row.correlationId(), row.declarationId(),
                            row.occurredAt(), row.traceparent(), row.tracestate(), row.payload(), row.createdAt(), attempts,
                            error, pauseMs, park)
                    .update();
        }
    }

    /** A row's AMQP properties; the user-id is this service's broker user, which the broker checks. */
    private MessageProperties properties(Row row) {
        MessageProperties properties = new MessageProperties();
        properties.setHeader(Headers.OCCURRED_AT, row.occurredAt().toInstant().atOffset(ZoneOffset.UTC).toString());
        properties.setHeader(Headers.MESSAGE_TYPE, row.routingKey());
        if (row.traceparent() != null) {
            properties.setHeader(Headers.TRACEPARENT, row.traceparent());
        }
        if (row.tracestate() != null) {
            properties.setHeader(Headers.TRACESTATE, row.tracestate());
        }
        if (row.declarationId() != null) {
            properties.setHeader(Headers.DECLARATION_ID, row.declarationId().toString());
        }
        properties.setMessageId(row.messageId().toString());
        properties.setCorrelationId(row.correlationId());
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding("UTF-8");
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setType(row.routingKey());
        properties.setUserId(identity.own());
        properties.setTimestamp(new Date(row.createdAt().getTime()));
        return properties;
    }

    /** A gauge's reading: the query's number, NaN while the database cannot answer. */
    private double readSafely(String sql) {
        return org.singlewindow.kit.GaugeReadings.orNaN(() -> jdbc.sql(sql).query(Double.class).single());
    }
}

package org.singlewindow.kit.messaging;

import org.singlewindow.contract.Headers;
import org.slf4j.MDC;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The transactional outbox. Business code calls {@link #add} inside its own transaction; the
 * message becomes a row committed with the business change, and the {@link OutboxRelay} publishes it
 * afterwards. Business code never talks to the broker directly.
 * <p>
 * The rows a transaction adds are gathered and inserted together just before it commits (one
 * batched, multi-row insert), so a batch of messages handled in one transaction writes its outbox
 * once. If the transaction rolls back, nothing was written.
 */
public class Outbox {

    private record Row(UUID messageId, String exchange, String routingKey, String correlationId, UUID declarationId,
                       Instant occurredAt, String traceparent, String tracestate, byte[] payload) {
    }

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final OutboxRelay relay;
    private final TraceContext trace;
    private final Clock clock;
    /** The rows this transaction adds, inserted just before it commits; the relay is woken after. */
    private final TransactionScoped<List<Row>> pending;

    public Outbox(JdbcTemplate jdbc, JsonMapper json, OutboxRelay relay, TraceContext trace, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.relay = relay;
        this.trace = trace;
        this.clock = clock;
        this.pending = new TransactionScoped<>(ArrayList::new, this::insert, rows -> relay.wake());
    }

    /**
     * Record a message to publish once the surrounding transaction commits.
     *
     * @return the message id it will carry
     * @throws IllegalStateException when called outside a transaction
     */
    public UUID add(String exchange, String routingKey, UUID declarationId, Object payload) {
        return addBytes(exchange, routingKey, declarationId, json.writeValueAsBytes(payload));
    }

    /** As {@link #add}, with a body already serialized (JSON bytes forwarded as they are). */
    public UUID addBytes(String exchange, String routingKey, UUID declarationId, byte[] body) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("Outbox.add must run inside the business transaction");
        }
        UUID messageId = UUID.randomUUID();
        String correlationId = MDC.get(Logging.CORRELATION_ID);
        if (correlationId == null && declarationId != null) {
            correlationId = declarationId.toString();
        }
        Map<String, Object> traceHeaders = new HashMap<>(4);
        trace.inject(traceHeaders);
        pending.current().add(new Row(messageId, exchange, routingKey, correlationId, declarationId, clock.instant(),
                (String) traceHeaders.get(Headers.TRACEPARENT), (String) traceHeaders.get(Headers.TRACESTATE), body));
        return messageId;
    }

    private void insert(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        // with the driver's reWriteBatchedInserts, one multi-row insert per round of up to 128 rows
        jdbc.batchUpdate("""
                        insert into outbox (message_id, exchange, routing_key, correlation_id, declaration_id, occurred_at,
                            traceparent, tracestate, payload)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows, rows.size(), (ps, row) -> {
            ps.setObject(1, row.messageId());
            ps.setString(2, row.exchange());
            ps.setString(3, row.routingKey());
            ps.setString(4, row.correlationId());
            ps.setObject(5, row.declarationId());
            ps.setTimestamp(6, Timestamp.from(row.occurredAt()));
            ps.setString(7, row.traceparent());
            ps.setString(8, row.tracestate());
            ps.setBytes(9, row.payload());
        });
        rows.clear();
    }
}

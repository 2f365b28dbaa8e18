package org.singlewindow.kit.messaging;

import org.singlewindow.contract.Headers;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The transactional outbox. Business code calls {@link #add} inside its own transaction; the
 * message is a row committed with the business change, and the {@link OutboxRelay} publishes it
 * afterwards. Business code never talks to the broker directly.
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final OutboxRelay relay;
    private final TraceContext trace;

    public Outbox(JdbcClient jdbc, JsonMapper json, OutboxRelay relay, TraceContext trace) {
        this.jdbc = jdbc;
        this.json = json;
        this.relay = relay;
        this.trace = trace;
    }

    /**
     * Record a message to publish once the surrounding transaction commits.
     *
     * @return the message id it will carry
     * @throws IllegalStateException when called outside a transaction
     */
    public UUID add(String exchange, String routingKey, UUID declarationId, Object payload) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox.add must run inside the business transaction");
        }
        UUID messageId = UUID.randomUUID();
        String correlationId = MDC.get(Logging.CORRELATION_ID);
        if (correlationId == null && declarationId != null) {
            correlationId = declarationId.toString();
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(Headers.OCCURRED_AT, OffsetDateTime.now(ZoneOffset.UTC).toString());
        headers.put(Headers.MESSAGE_TYPE, routingKey);
        trace.inject(headers);
        jdbc.sql("""
                        insert into outbox (message_id, exchange, routing_key, correlation_id, declaration_id, headers, payload)
                        values (?, ?, ?, ?, ?, ?::jsonb, ?)""")
                .params(messageId, exchange, routingKey, correlationId, declarationId,
                        json.writeValueAsString(headers), json.writeValueAsBytes(payload))
                .update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    relay.wake();
                }
            });
        }
        return messageId;
    }
}

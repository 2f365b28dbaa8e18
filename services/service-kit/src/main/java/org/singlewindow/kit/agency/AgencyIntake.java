package org.singlewindow.kit.agency;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.ContractValidator;
import org.singlewindow.contract.DeclarationCancelled;
import org.singlewindow.contract.DeclarationConcluded;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.Topology;
import org.singlewindow.kit.messaging.IncomingMessage;
import org.singlewindow.kit.messaging.MessageHandler;
import org.singlewindow.kit.messaging.NonRetryableMessageException;
import org.singlewindow.kit.messaging.Outbox;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * An agency's intake of declaration events. For {@code declaration.submitted.v1}: keep what was
 * received, answer at once with an acknowledgement (120), then ask the {@link DecisionPolicy} and
 * answer with its decision. For {@code declaration.cancelled.v1}: close the case (899). For
 * {@code declaration.concluded.v1} and cancellations: let the policy settle what it reserved; a
 * cancellation that arrives before its declaration closes the declaration when it comes. All of it in
 * the consumer's transaction, so a redelivery changes nothing.
 */
public class AgencyIntake implements MessageHandler {

    private final Agency agency;
    private final DecisionPolicy policy;
    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final MeterRegistry meters;
    private final ContractValidator validator;

    public AgencyIntake(Agency agency, DecisionPolicy policy, JdbcClient jdbc, Outbox outbox, MeterRegistry meters,
                        ContractValidator validator) {
        this.agency = agency;
        this.policy = policy;
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.meters = meters;
        this.validator = validator;
    }

    @Override
    public void handle(IncomingMessage message) {
        switch (message.type()) {
            case Topology.DECLARATION_SUBMITTED -> submitted(message, message.read(DeclarationSubmitted.class));
            case Topology.DECLARATION_CANCELLED -> cancelled(message.read(DeclarationCancelled.class));
            case Topology.DECLARATION_CONCLUDED -> concluded(message.read(DeclarationConcluded.class));
            default -> throw new NonRetryableMessageException("unknown message type '" + message.type() + "'");
        }
    }

    private void submitted(IncomingMessage message, DeclarationSubmitted event) {
        if (event.declarationId() == null || event.declaration() == null || event.declaration().order() == null) {
            throw new NonRetryableMessageException("declaration.submitted.v1 without declaration id or order");
        }
        var declaration = event.declaration();
        serialize(event.declarationId());
        int inserted = jdbc.sql("""
                        insert into received_declaration (declaration_id, message_id, enterprise_id, declaration_type,
                            ebp_code, order_no, payload, status)
                        values (?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict (declaration_id) do nothing""")
                .params(event.declarationId(), message.messageId(), event.enterpriseId(),
                        String.valueOf(declaration.declarationType()), String.valueOf(declaration.order().ebpCode()),
                        String.valueOf(declaration.order().orderNo()), Json.mapper().writeValueAsString(event),
                        ReceiptStatus.ACCEPTED.name())
                .update();
        if (inserted == 0) {
            // the same declaration re-published under another message id: already answered
            return;
        }
        answer(event.declarationId(), Receipt.Kind.ACKNOWLEDGEMENT,
                new Decision(ReceiptStatus.ACCEPTED, "RECEIVED", agency.key() + " received the declaration", null));
        boolean cancelledEarlier = jdbc.sql("delete from early_cancellation where declaration_id = ?")
                .param(event.declarationId()).update() == 1;
        if (cancelledEarlier) {
            Decision closed = new Decision(ReceiptStatus.CLOSED, "CANCELLED",
                    "closed: the enterprise cancelled before " + agency.key() + " decided", null);
            record(event.declarationId(), closed);
            answer(event.declarationId(), Receipt.Kind.DECISION, closed);
            return;
        }
        Timer.Sample sample = Timer.start(meters);
        Decision decision = policy.decide(event);
        sample.stop(Timer.builder("sw.agency.decision").tag("agency", agency.key()).tag("status", decision.status().word())
                .description("Time the agency's rules took to decide").register(meters));
        record(event.declarationId(), decision);
        answer(event.declarationId(), Receipt.Kind.DECISION, decision);
    }

    private void cancelled(DeclarationCancelled event) {
        if (event.declarationId() == null) {
            throw new NonRetryableMessageException("declaration.cancelled.v1 without declaration id");
        }
        serialize(event.declarationId());
        int updated = jdbc.sql("""
                        update received_declaration set status = ?, reason_code = 'CANCELLED', decided_at = now()
                        where declaration_id = ? and status <> ?""")
                .params(ReceiptStatus.CLOSED.name(), event.declarationId(), ReceiptStatus.CLOSED.name())
                .update();
        if (updated == 1) {
            policy.concluded(event.declarationId(), "CANCELLED");
            answer(event.declarationId(), Receipt.Kind.DECISION,
                    new Decision(ReceiptStatus.CLOSED, "CANCELLED", "closed after the enterprise cancelled", null));
        } else if (jdbc.sql("select count(*) from received_declaration where declaration_id = ?")
                .param(event.declarationId()).query(Long.class).single() == 0) {
            // the declaration itself has not reached this agency yet: close it when it does
            jdbc.sql("insert into early_cancellation (declaration_id, reason, received_at) values (?, ?, now()) on conflict do nothing")
                    .params(event.declarationId(), event.reason()).update();
        }
    }

    /**
     * One declaration's events are handled one at a time (a transaction-scoped advisory lock on its id),
     * so a cancellation and the declaration handled by two threads cannot interleave.
     */
    private void serialize(UUID declarationId) {
        jdbc.sql("select pg_advisory_xact_lock(?)")
                .param(declarationId.getMostSignificantBits() ^ declarationId.getLeastSignificantBits())
                .query((rs, n) -> 1).single();
    }

    private void concluded(DeclarationConcluded event) {
        if (event.declarationId() == null
                || !(DeclarationConcluded.CLEARED.equals(event.outcome()) || DeclarationConcluded.REJECTED.equals(event.outcome()))) {
            throw new NonRetryableMessageException("declaration.concluded.v1 needs a declaration id and outcome CLEARED or REJECTED");
        }
        policy.concluded(event.declarationId(), event.outcome());
    }

    /** Settle a held declaration (back-office seam for officers): records and answers the decision. */
    public void settle(UUID declarationId, Decision decision) {
        record(declarationId, decision);
        answer(declarationId, Receipt.Kind.DECISION, decision);
    }

    private void record(UUID declarationId, Decision decision) {
        jdbc.sql("update received_declaration set status = ?, reason_code = ?, decided_at = now() where declaration_id = ?")
                .params(decision.status().name(), decision.reasonCode(), declarationId)
                .update();
    }

    private void answer(UUID declarationId, Receipt.Kind kind, Decision decision) {
        Receipt receipt = new Receipt(UUID.randomUUID(), declarationId, agency, kind, decision.status(),
                decision.reasonCode(), decision.message(), OffsetDateTime.now(ZoneOffset.UTC), decision.payload());
        var violations = validator.validateReceipt(Json.mapper().valueToTree(receipt));
        if (!violations.isEmpty()) {
            // a fault of ours (a rule's reason code, say): fail here, where the cause is, not at the window
            throw new IllegalStateException(agency.key() + " would send a receipt that breaks receipt-v1: " + violations);
        }
        jdbc.sql("""
                        insert into sent_receipt (receipt_id, declaration_id, kind, status, status_code, reason_code, message,
                            decided_at, payload)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""")
                .params(receipt.receiptId(), declarationId, kind.name(), decision.status().name(), decision.status().code(),
                        decision.reasonCode(), decision.message(), receipt.decidedAt(),
                        decision.payload() == null ? null : Json.mapper().writeValueAsString(decision.payload()))
                .update();
        outbox.add(Topology.RECEIPTS_EXCHANGE, receipt.routingKey(), declarationId, receipt);
        meters.counter("sw.receipts.sent", "agency", agency.key(), "status", String.valueOf(decision.status().code())).increment();
    }
}

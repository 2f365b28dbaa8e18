package org.singlewindow.declaration.status;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.singlewindow.contract.ContractValidator;
import org.singlewindow.contract.DeclarationConcluded;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.Topology;
import org.singlewindow.contract.Violation;
import org.singlewindow.kit.messaging.ConsumerBinding;
import org.singlewindow.kit.messaging.IncomingMessage;
import org.singlewindow.kit.messaging.MessageHandler;
import org.singlewindow.kit.messaging.NonRetryableMessageException;
import org.singlewindow.kit.messaging.Outbox;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Consumes every agency receipt: keeps it, adds it to the timeline, and re-consolidates the
 * declaration's status under a row lock so concurrent receipts never lose an update. A final outcome
 * (cleared or rejected) starts the follow-ups: it is announced to every agency as
 * {@code declaration.concluded.v1}, in the same transaction (outbox); each agency answers with a
 * settlement receipt (what it committed or released), and the follow-ups are complete when all five have.
 */
@Component
class ReceiptIntake implements MessageHandler {

    private final JdbcClient jdbc;
    private final ContractValidator validator;
    private final MeterRegistry meters;
    private final Outbox outbox;

    ReceiptIntake(JdbcClient jdbc, ContractValidator validator, MeterRegistry meters, Outbox outbox) {
        this.jdbc = jdbc;
        this.validator = validator;
        this.meters = meters;
        this.outbox = outbox;
    }

    @Configuration
    static class Binding {
        @Bean
        ConsumerBinding receiptsConsumer(ReceiptIntake intake) {
            return new ConsumerBinding("declaration-receipts", Topology.DECLARATION_RECEIPTS_QUEUE, intake);
        }
    }

    @Override
    public void handle(IncomingMessage message) {
        Receipt receipt = parse(message);
        record Current(DeclarationStatus status, OffsetDateTime submittedAt) {
        }
        Current current = jdbc.sql("select status, submitted_at from declaration where id = ? for update")
                .param(receipt.declarationId())
                .query((rs, n) -> new Current(DeclarationStatus.valueOf(rs.getString(1)), rs.getObject(2, OffsetDateTime.class)))
                .optional()
                .orElseThrow(() -> new NonRetryableMessageException("receipt for unknown declaration " + receipt.declarationId()));

        int inserted = jdbc.sql("""
                        insert into receipt (receipt_id, declaration_id, agency, kind, status, status_code, reason_code,
                            message, decided_at, payload)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (receipt_id) do nothing""")
                .params(receipt.receiptId(), receipt.declarationId(), receipt.agency().name(), receipt.kind().name(),
                        receipt.status().name(), receipt.status().code(), receipt.reasonCode(), receipt.message(),
                        receipt.decidedAt(), receipt.payload() == null ? null : Json.mapper().writeValueAsString(receipt.payload()))
                .update();
        if (inserted == 0) {
            return;
        }
        meters.counter("sw.receipts", "agency", receipt.agency().key(), "status", String.valueOf(receipt.status().code()))
                .increment();
        // how long after the submission each agency answered (acknowledgement, decision, settlement)
        Timer.builder("sw.receipts.latency").tag("agency", receipt.agency().key())
                .tag("kind", receipt.kind().name().toLowerCase(java.util.Locale.ROOT))
                .description("Time from submission to the agency's receipt").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofHours(1)).register(meters)
                .record(Duration.between(current.submittedAt(), receipt.decidedAt()).abs());
        String event = switch (receipt.kind()) {
            case ACKNOWLEDGEMENT -> "ACKNOWLEDGED";
            case DECISION -> "DECIDED";
            case SETTLEMENT -> "SETTLED";
        };
        jdbc.sql("insert into declaration_event (declaration_id, at, kind, agency, detail) values (?, ?, ?, ?, ?)")
                .params(receipt.declarationId(), receipt.decidedAt(), event, receipt.agency().key(),
                        receipt.status().code() + " " + receipt.status().name() + " (" + receipt.reasonCode() + "): "
                                + receipt.message())
                .update();
        if (receipt.kind() == Receipt.Kind.SETTLEMENT) {
            followUpSettled(receipt);
            return;
        }

        List<Consolidation.Answer> answers = jdbc.sql("select agency, kind, status, decided_at from receipt where declaration_id = ?")
                .param(receipt.declarationId())
                .query((rs, n) -> new Consolidation.Answer(org.singlewindow.contract.Agency.valueOf(rs.getString(1)),
                        Receipt.Kind.valueOf(rs.getString(2)), org.singlewindow.contract.ReceiptStatus.valueOf(rs.getString(3)),
                        rs.getObject(4, OffsetDateTime.class)))
                .list();
        DeclarationStatus next = Consolidation.consolidate(current.status(), answers);
        if (next != current.status()) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            jdbc.sql("update declaration set status = ?, updated_at = ?, final_at = ? where id = ?")
                    .params(next.name(), now, next.isFinal() ? now : null, receipt.declarationId()).update();
            jdbc.sql("insert into declaration_event (declaration_id, at, kind, detail) values (?, ?, 'STATUS', ?)")
                    .params(receipt.declarationId(), now, current.status() + " -> " + next).update();
            if (next == DeclarationStatus.CLEARED || next == DeclarationStatus.REJECTED) {
                // every agency settles its reservations (ledgers, stock, guarantee) on the outcome
                outbox.add(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_CONCLUDED, receipt.declarationId(),
                        new DeclarationConcluded(receipt.declarationId(), next.name(), now));
                FollowUps.requested(jdbc, receipt.declarationId(), next.name(), now);
            }
            if (next == DeclarationStatus.HELD) {
                meters.counter("sw.declarations.held").increment();
            }
            if (next.isFinal()) {
                meters.counter("sw.declarations.final", "status", next.name()).increment();
                SubmitToFinal.record(meters, next, Duration.between(current.submittedAt(), now));
            }
        }
        // a receipt that changes no status leaves the row alone: readers take updatedAt as the later of the
        // row's and the newest receipt's time (rewriting a row with its body 15 times per declaration was
        // a large part of the database's work)
    }

    /** An agency settled; when the last of the five has, the follow-ups are complete. */
    private void followUpSettled(Receipt receipt) {
        long settled = jdbc.sql("select count(distinct agency) from receipt where declaration_id = ? and kind = 'SETTLEMENT'")
                .param(receipt.declarationId()).query(Long.class).single();
        if (settled == org.singlewindow.contract.Agency.values().length) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            int completed = jdbc.sql("""
                            update declaration set follow_ups_completed_at = ?, updated_at = ?
                            where id = ? and follow_ups_completed_at is null""")
                    .params(now, now, receipt.declarationId()).update();
            if (completed == 1) {
                jdbc.sql("insert into declaration_event (declaration_id, at, kind, detail) values (?, ?, 'FOLLOW_UPS_COMPLETE', ?)")
                        .params(receipt.declarationId(), now, "every agency has settled what it reserved").update();
            }
        }
    }

    private Receipt parse(IncomingMessage message) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(message.body());
        } catch (JacksonException e) {
            throw new NonRetryableMessageException("receipt is not JSON: " + e.getOriginalMessage(), e);
        }
        List<Violation> violations = validator.validateReceipt(tree);
        if (!violations.isEmpty()) {
            throw new NonRetryableMessageException("receipt breaks receipt-v1: " + violations);
        }
        return Json.mapper().treeToValue(tree, Receipt.class);
    }

}

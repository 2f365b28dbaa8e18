package org.singlewindow.agency;

import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.Topology;
import org.singlewindow.kit.messaging.Outbox;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What an agency answers the window: receipts, each kept ({@code sent_receipt}) and sent through the outbox in the
 * caller's transaction. The intake answers a message with one {@link Batch}; the agency's own code — an officer's
 * decision, something it saw outside a message from the window — with {@link #report} or {@link #decideByOfficer}.
 * It calls nothing of the intake or of the {@link DecisionPolicy}, so a policy may use it.
 */
public class AgencyAnswers {

    private final Agency agency;
    private final AgencyCases cases;
    private final Outbox outbox;
    private final MeterRegistry meters;
    private final SentReceipts sentReceipts;

    public AgencyAnswers(Agency agency, AgencyCases cases, Outbox outbox, MeterRegistry meters, JdbcTemplate jdbc) {
        this.agency = agency;
        this.cases = cases;
        this.outbox = outbox;
        this.meters = meters;
        this.sentReceipts = new SentReceipts(jdbc);
    }

    public Agency agency() {
        return agency;
    }

    /**
     * The receipts one handling produced about one declaration, sent as <b>one</b> message: the acknowledgement and
     * an immediate decision travel together (each keeps its own id, kind and time; the body is then a JSON array of
     * receipts), a deferred or held decision leaves the acknowledgement alone.
     */
    public final class Batch {
        private final List<Receipt> receipts = new ArrayList<>(3);

        /** Keep a receipt about the declaration's current version and add it to this batch. */
        public void add(UUID declarationId, Receipt.Kind kind, Decision decision) {
            Receipt receipt = new Receipt(UUID.randomUUID(), declarationId, agency, kind, decision.status(),
                    decision.reasonCode(), decision.message(), OffsetDateTime.now(ZoneOffset.UTC), decision.payload(),
                    cases.versionOf(declarationId));
            sentReceipts.add(receipt);
            receipts.add(receipt);
            meters.counter("sw.receipts.sent", "agency", agency.key(), "status", String.valueOf(decision.status().code())).increment();
        }

        /** To the outbox, as one message (nothing if empty); the window validates every receipt against receipt-v1. */
        public void send() {
            if (receipts.isEmpty()) {
                return;
            }
            Receipt last = receipts.getLast();
            outbox.add(Topology.RECEIPTS_EXCHANGE, last.routingKey(), last.declarationId(),
                    receipts.size() == 1 ? last : List.copyOf(receipts));
        }
    }

    public Batch batch() {
        return new Batch();
    }

    /**
     * Something this agency did or saw outside a message from the window — the goods left the bonded zone
     * (logistics, a movement receipt), a declaration's tax was paid (tax, 899 clearance complete) — sent to the
     * window as a receipt; call in the transaction that records it.
     */
    public void report(UUID declarationId, Receipt.Kind kind, Decision what) {
        Batch batch = batch();
        batch.add(declarationId, kind, what);
        batch.send();
    }

    /**
     * A decision on a case taken outside the intake — an officer's on a held declaration, a hold expired, a reservation
     * that gave way: recorded on the case and sent. Call in a transaction, under the case's lock.
     */
    public void decideByOfficer(UUID declarationId, Decision decision) {
        cases.record(declarationId, decision);
        report(declarationId, Receipt.Kind.DECISION, decision);
    }
}

package org.singlewindow.declaration.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.ContractValidator;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.Topology;
import org.singlewindow.contract.Violation;
import org.singlewindow.declaration.lifecycle.DeclarationRecords;
import org.singlewindow.declaration.lifecycle.DeclarationStatus;
import org.singlewindow.declaration.lifecycle.FollowUpsSaga;
import org.singlewindow.declaration.lifecycle.ReturnSaga;
import org.singlewindow.declaration.lifecycle.WithdrawalSaga;
import org.singlewindow.kit.messaging.BatchMessageHandler;
import org.singlewindow.kit.messaging.BrokerIdentity;
import org.singlewindow.kit.messaging.ConsumerBinding;
import org.singlewindow.kit.messaging.IncomingMessage;
import org.singlewindow.kit.messaging.NonRetryableMessageException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consumes every agency receipt, a batch at a time and set-based: the batch's receipts are validated
 * (each once) and kept with one statement; the consolidation state of every declaration they concern
 * ({@link Consolidation.Progress}, a narrow row) is read with one statement under the declarations'
 * locks, each new receipt is folded into it in memory, and what changed is written back with one
 * batched statement per table. A message may carry one receipt or several (an agency's acknowledgement
 * and immediate decision travel together). The receipts themselves are the timeline's receipt entries
 * (read at query time); the timeline keeps only what the window itself did.
 * <p>
 * A final outcome (cleared or rejected) starts the follow-ups ({@link DeclarationRecords#consolidated}): it is announced to
 * every agency as {@code declaration.concluded.v1} in the same transaction (outbox); each agency
 * answers with a settlement receipt, and the follow-ups are complete when all five have.
 * <p>
 * A withdrawal after release ({@link DeclarationStatus#WITHDRAWING}) goes on here: logistics's answer to
 * the application either refuses it (the goods left the zone: back to {@code CLEARED}) or accepts it, and
 * then {@code declaration.withdrawn.v1} asks every agency to restore what it committed; the declaration is
 * {@code WITHDRAWN} when all five have. Logistics's report that the goods left the zone is kept, so that a
 * later application is refused at once.
 */
@Component
class ReceiptIntake implements BatchMessageHandler {

    private final JdbcTemplate jdbc;
    private final ContractValidator validator;
    private final MeterRegistry meters;
    private final DeclarationRecords records;
    private final Clock clock;
    private final Map<String, Counter> receiptCounters = new ConcurrentHashMap<>();
    private final Map<String, Timer> receiptLatencies = new ConcurrentHashMap<>();

    ReceiptIntake(JdbcTemplate jdbc, ContractValidator validator, MeterRegistry meters, DeclarationRecords records, Clock clock) {
        this.jdbc = jdbc;
        this.validator = validator;
        this.meters = meters;
        this.records = records;
        this.clock = clock;
    }

    @Configuration
    static class Binding {
        /** A receipt is taken only from the agency it is of: published by that agency's broker user. */
        @Bean
        ConsumerBinding receiptsConsumer(ReceiptIntake intake, BrokerIdentity identity) {
            return new ConsumerBinding("declaration-receipts", Topology.DECLARATION_RECEIPTS_QUEUE, intake,
                    message -> identity.userOf(agencyOf(message).key()));
        }
    }

    /** The one agency a message's receipts are of (a message carries one agency's receipts). */
    static Agency agencyOf(IncomingMessage message) {
        Set<String> agencies = new HashSet<>();
        for (JsonNode node : receiptNodes(message)) {
            agencies.add(node.path("agency").asString(""));
        }
        if (agencies.size() != 1) {
            throw new NonRetryableMessageException("a message carries the receipts of one agency, not of " + agencies);
        }
        try {
            return Agency.valueOf(agencies.iterator().next());
        } catch (IllegalArgumentException e) {
            throw new NonRetryableMessageException("receipt of an unknown agency " + agencies);
        }
    }

    private static List<JsonNode> receiptNodes(IncomingMessage message) {
        JsonNode tree = message.read(JsonNode.class);
        List<JsonNode> nodes = tree.isArray() ? tree.valueStream().toList() : List.of(tree);
        if (nodes.isEmpty()) {
            throw new NonRetryableMessageException("an empty array of receipts");
        }
        return nodes;
    }

    /** A declaration's row as consolidation needs it, and what this batch changes of it. */
    private static final class Case {
        final UUID id;
        final DeclarationStatus before;
        final OffsetDateTime submittedAt;
        final Consolidation.Progress progress;
        final boolean followUpsCompleted;
        final String withdrawalReason;
        final boolean withdrawalAccepted;
        final boolean withdrawalApproved;
        final int version;
        boolean progressed;
        /** Customs approved the withdrawal application in this batch. */
        boolean withdrawalApprovedNow;
        /** Logistics accepted the approved withdrawal in this batch. */
        boolean withdrawalAcceptedNow;
        /** Customs or logistics refused the withdrawal in this batch: who, and why. */
        String withdrawalRefusedNow;
        OffsetDateTime leftZoneAt;
        OffsetDateTime clearanceCompletedAt;
        /** Return receipts of this batch, in order. */
        final List<Receipt> returns = new ArrayList<>(1);

        Case(UUID id, DeclarationStatus before, OffsetDateTime submittedAt, Consolidation.Progress progress, boolean followUpsCompleted,
             String withdrawalReason, boolean withdrawalApproved, boolean withdrawalAccepted, int version) {
            this.version = version;
            this.withdrawalApproved = withdrawalApproved;
            this.id = id;
            this.before = before;
            this.submittedAt = submittedAt;
            this.progress = progress;
            this.followUpsCompleted = followUpsCompleted;
            this.withdrawalReason = withdrawalReason;
            this.withdrawalAccepted = withdrawalAccepted;
        }
    }

    @Override
    public void handleAll(List<IncomingMessage> messages) {
        List<Receipt> receipts = new ArrayList<>();
        for (IncomingMessage message : messages) {
            receipts.addAll(parse(message));
        }
        Map<UUID, Case> cases = load(receipts.stream().map(Receipt::declarationId).distinct().toList());
        Set<UUID> fresh = keep(receipts);
        for (Receipt receipt : receipts) {
            if (!fresh.remove(receipt.receiptId())) {
                continue;
            }
            Case c = cases.get(receipt.declarationId());
            count(receipt, c.submittedAt);
            if (receipt.versionOrFirst() < c.version) {
                continue; // about a version amended away since: kept for the timeline, decides nothing
            }
            c.progress.apply(new Consolidation.Answer(receipt.agency(), receipt.kind(), receipt.status(), receipt.decidedAt()));
            c.progressed = true;
            if (receipt.kind() == Receipt.Kind.WITHDRAWAL && receipt.agency() == Agency.CUSTOMS) {
                if (receipt.status() == ReceiptStatus.RELEASED) {
                    c.withdrawalApprovedNow = true;
                } else if (receipt.status() == ReceiptStatus.REJECTED) {
                    c.withdrawalRefusedNow = "customs refused the withdrawal — " + receipt.message();
                }
            }
            if (receipt.kind() == Receipt.Kind.WITHDRAWAL && receipt.agency() == Agency.LOGISTICS) {
                if (receipt.status() == ReceiptStatus.WITHDRAWN) {
                    c.withdrawalAcceptedNow = true;
                } else {
                    c.withdrawalRefusedNow = "logistics refused the withdrawal — " + receipt.message();
                }
            }
            if (receipt.kind() == Receipt.Kind.MOVEMENT && receipt.status() == ReceiptStatus.LEFT_ZONE) {
                c.leftZoneAt = receipt.decidedAt();
            }
            if (receipt.kind() == Receipt.Kind.RETURN) {
                c.returns.add(receipt);
            }
            if (receipt.status() == ReceiptStatus.CLEARANCE_COMPLETE) {
                c.clearanceCompletedAt = receipt.decidedAt();
            }
        }
        conclude(cases.values().stream().filter(c -> c.progressed).toList());
    }

    /** A receipt, or an array of receipts, each valid against receipt-v1; anything else is poison. */
    private List<Receipt> parse(IncomingMessage message) {
        List<JsonNode> nodes = receiptNodes(message);
        List<Receipt> receipts = new ArrayList<>(nodes.size());
        for (JsonNode node : nodes) {
            List<Violation> violations = validator.validateReceipt(node);
            if (!violations.isEmpty()) {
                throw new NonRetryableMessageException("receipt breaks receipt-v1: " + violations);
            }
            receipts.add(Json.mapper().treeToValue(node, Receipt.class));
        }
        return receipts;
    }

    /** The declarations' rows and consolidation states, locked for this transaction. */
    private Map<UUID, Case> load(List<UUID> ids) {
        Map<UUID, Case> cases = new HashMap<>();
        jdbc.query("""
                        select d.id, d.status, d.submitted_at, d.follow_ups_completed_at is not null as completed,
                               d.withdrawal_reason, d.withdrawal_approved_at is not null as withdrawal_approved,
                               d.withdrawal_accepted_at is not null as withdrawal_accepted, d.version,
                               p.answered, p.rejected, p.settled, p.withdrawn,
                               p.customs_decision, p.customs_decided_at, p.inspection_decision, p.inspection_decided_at,
                               p.tax_decision, p.tax_decided_at, p.forex_decision, p.forex_decided_at,
                               p.logistics_decision, p.logistics_decided_at
                        from declaration d left join declaration_progress p on p.declaration_id = d.id
                        where d.id = any(?) for update of d""",
                (RowCallbackHandler) rs -> {
                    UUID id = rs.getObject("id", UUID.class);
                    cases.put(id, new Case(id, DeclarationStatus.valueOf(rs.getString("status")),
                            rs.getObject("submitted_at", OffsetDateTime.class), progress(rs), rs.getBoolean("completed"),
                            rs.getString("withdrawal_reason"), rs.getBoolean("withdrawal_approved"), rs.getBoolean("withdrawal_accepted"),
                            rs.getInt("version")));
                }, (Object) ids.toArray(UUID[]::new));
        for (UUID id : ids) {
            if (!cases.containsKey(id)) {
                throw new NonRetryableMessageException("receipt for unknown declaration " + id);
            }
        }
        return cases;
    }

    private static Consolidation.Progress progress(ResultSet rs) throws SQLException {
        ReceiptStatus[] decisions = new ReceiptStatus[Agency.values().length];
        OffsetDateTime[] decidedAt = new OffsetDateTime[Agency.values().length];
        for (Agency agency : Agency.values()) {
            String status = rs.getString(agency.key() + "_decision");
            decisions[agency.ordinal()] = status == null ? null : ReceiptStatus.valueOf(status);
            decidedAt[agency.ordinal()] = rs.getObject(agency.key() + "_decided_at", OffsetDateTime.class);
        }
        return new Consolidation.Progress(rs.getBoolean("answered"), rs.getBoolean("rejected"), rs.getInt("settled"),
                rs.getInt("withdrawn"), decisions, decidedAt);
    }

    /** Keep the receipts (one statement); returns the ids not kept before (a redelivered receipt changes nothing). */
    private Set<UUID> keep(List<Receipt> receipts) {
        int n = receipts.size();
        UUID[] ids = new UUID[n];
        UUID[] declarations = new UUID[n];
        String[] agencies = new String[n];
        String[] kinds = new String[n];
        String[] statuses = new String[n];
        Integer[] codes = new Integer[n];
        String[] reasons = new String[n];
        String[] texts = new String[n];
        String[] decidedAt = new String[n];
        String[] payloads = new String[n];
        Integer[] versions = new Integer[n];
        for (int i = 0; i < n; i++) {
            Receipt r = receipts.get(i);
            ids[i] = r.receiptId();
            declarations[i] = r.declarationId();
            agencies[i] = r.agency().name();
            kinds[i] = r.kind().name();
            statuses[i] = r.status().name();
            codes[i] = r.status().code();
            reasons[i] = r.reasonCode();
            texts[i] = r.message();
            decidedAt[i] = r.decidedAt().toString();
            payloads[i] = r.payload() == null ? null : Json.mapper().writeValueAsString(r.payload());
            versions[i] = r.versionOrFirst();
        }
        return new HashSet<>(jdbc.queryForList("""
                        insert into receipt (receipt_id, declaration_id, agency, kind, status, status_code, reason_code, message,
                            decided_at, payload, version)
                        select r.id, r.declaration_id, r.agency, r.kind, r.status, r.code, r.reason, r.message, r.decided_at,
                               r.payload::jsonb, r.version
                        from unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[],
                                    ?::timestamptz[], ?::text[], ?::int[])
                             as r(id, declaration_id, agency, kind, status, code, reason, message, decided_at, payload, version)
                        on conflict (receipt_id) do nothing returning receipt_id""",
                UUID.class, ids, declarations, agencies, kinds, statuses, codes, reasons, texts, decidedAt, payloads, versions));
    }

    /** Write back what the batch changed: progress rows, status changes and their outcome events, completed follow-ups. */
    private void conclude(List<Case> changed) {
        if (changed.isEmpty()) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        List<DeclarationRecords.Consolidated> statusChanges = new ArrayList<>();
        List<UUID> completions = new ArrayList<>();
        DeclarationRecords.Timeline timeline = new DeclarationRecords.Timeline();
        for (Case c : changed) {
            DeclarationStatus next = c.progress.status(c.before);
            if (next != c.before) {
                statusChanges.add(new DeclarationRecords.Consolidated(c.id, c.before, next));
                if (next == DeclarationStatus.HELD) {
                    meters.counter("sw.declarations.held").increment();
                }
                if (next.isFinal()) {
                    meters.counter("sw.declarations.final", "status", next.name()).increment();
                    SubmitToFinal.record(meters, next, Duration.between(c.submittedAt, now));
                }
            }
        }
        // the status changes' entries first, then what followed them, as the declarations' timelines read
        records.consolidated(statusChanges, timeline, now);
        for (Case c : changed) {
            if (FollowUpsSaga.completed(c.progress.allSettled(), c.followUpsCompleted)) {
                completions.add(c.id);
            }
        }
        records.followUpsCompleted(completions, timeline, now);
        for (Case c : changed) {
            afterRelease(c, now, timeline);
        }
        jdbc.batchUpdate("""
                        insert into declaration_progress (declaration_id, answered, rejected, settled, withdrawn,
                            customs_decision, customs_decided_at, inspection_decision, inspection_decided_at,
                            tax_decision, tax_decided_at, forex_decision, forex_decided_at, logistics_decision, logistics_decided_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (declaration_id) do update set answered = excluded.answered, rejected = excluded.rejected,
                            settled = excluded.settled, withdrawn = excluded.withdrawn,
                            customs_decision = excluded.customs_decision, customs_decided_at = excluded.customs_decided_at,
                            inspection_decision = excluded.inspection_decision, inspection_decided_at = excluded.inspection_decided_at,
                            tax_decision = excluded.tax_decision, tax_decided_at = excluded.tax_decided_at,
                            forex_decision = excluded.forex_decision, forex_decided_at = excluded.forex_decided_at,
                            logistics_decision = excluded.logistics_decision, logistics_decided_at = excluded.logistics_decided_at""",
                changed, changed.size(), (ps, c) -> {
                    ps.setObject(1, c.id);
                    ps.setBoolean(2, c.progress.answered());
                    ps.setBoolean(3, c.progress.rejected());
                    ps.setInt(4, c.progress.settled());
                    ps.setInt(5, c.progress.withdrawn());
                    int column = 6;
                    for (Agency agency : Agency.values()) {
                        ReceiptStatus decision = c.progress.decision(agency);
                        ps.setString(column++, decision == null ? null : decision.name());
                        OffsetDateTime at = c.progress.decidedAt(agency);
                        if (at == null) {
                            ps.setNull(column++, Types.TIMESTAMP_WITH_TIMEZONE);
                        } else {
                            ps.setObject(column++, at);
                        }
                    }
                });
        records.write(timeline, now);
        // a receipt that changes no status leaves the declaration row alone: readers take updatedAt as the later
        // of the row's and the newest receipt's time
    }

    /**
     * Life after release, one declaration at a time (rare next to decisions): the goods leaving the zone,
     * returns, the end of the tax period (899), logistics's answer to a withdrawal application, every
     * agency's restoration.
     */
    private void afterRelease(Case c, OffsetDateTime now, DeclarationRecords.Timeline timeline) {
        if (c.leftZoneAt != null) {
            records.leftZone(c.id, c.leftZoneAt);
        }
        c.returns.forEach(receipt -> returnAnswered(c.id, receipt, now, timeline));
        if (c.clearanceCompletedAt != null) {
            records.clearanceCompleted(c.id, c.clearanceCompletedAt, timeline);
        }
        if (c.before != DeclarationStatus.WITHDRAWING) {
            return;
        }
        for (WithdrawalSaga.Step step : WithdrawalSaga.after(new WithdrawalSaga.Answers(c.withdrawalApproved, c.withdrawalAccepted,
                c.withdrawalApprovedNow, c.withdrawalAcceptedNow, c.withdrawalRefusedNow, c.progress.allWithdrawn()))) {
            records.withdrawalStep(c.id, step, c.withdrawalReason, timeline, now);
            switch (step.kind()) {
                case REFUSED -> meters.counter("sw.declarations.withdrawals", "result", "refused").increment();
                case WITHDRAWN -> meters.counter("sw.declarations.withdrawals", "result", "withdrawn").increment();
                default -> {
                }
            }
        }
    }

    /**
     * A return receipt, one step of the {@link ReturnSaga}: customs' review of the application or check of the goods,
     * logistics's report that they arrived, or an agency's settlement (905). The step's new state is written with
     * what it records, its announcement goes to the outbox and its entry to the timeline, in this transaction.
     */
    private void returnAnswered(UUID declarationId, Receipt receipt, OffsetDateTime now, DeclarationRecords.Timeline timeline) {
        if (!(receipt.payload() instanceof ReceiptPayload.ReturnRef(UUID returnId))) {
            throw new NonRetryableMessageException("a return receipt names its return (payload type 'return')");
        }
        record Return(ReturnSaga.State state, String lines, int settled) {
        }
        boolean settlement = receipt.status() == ReceiptStatus.RETURNED;
        RowMapper<Return> row = (rs, n) -> new Return(ReturnSaga.State.valueOf(rs.getString(1)),
                rs.getString(2), rs.getInt(3));
        List<Return> found = settlement
                ? jdbc.query("""
                        update declaration_return set settled = settled | ? where return_id = ? and declaration_id = ?
                        returning state, lines::text, settled""", row, 1 << receipt.agency().ordinal(), returnId, declarationId)
                : jdbc.query("""
                        select state, lines::text, settled from declaration_return where return_id = ? and declaration_id = ?
                        for update""", row, returnId, declarationId);
        Return r = found.stream().findFirst()
                .orElseThrow(() -> new NonRetryableMessageException("receipt for unknown return " + returnId + " of " + declarationId));
        ReturnSaga.Step step;
        try {
            step = settlement ? ReturnSaga.settled(r.state(), r.settled() == Consolidation.ALL_AGENCIES)
                    : ReturnSaga.answered(r.state(), receipt.agency(), receipt.status());
        } catch (IllegalArgumentException e) {
            throw new NonRetryableMessageException(e.getMessage());
        }
        records.returnStep(declarationId, returnId, step, r.lines(), receipt.message(), timeline, settlement ? now : receipt.decidedAt());
        if (step.next() == ReturnSaga.State.REFUSED || step.next() == ReturnSaga.State.COMPLETED) {
            meters.counter("sw.declarations.returns", "result", step.next() == ReturnSaga.State.REFUSED ? "refused" : "completed")
                    .increment();
        }
    }

    private void count(Receipt receipt, OffsetDateTime submittedAt) {
        String status = String.valueOf(receipt.status().code());
        receiptCounters.computeIfAbsent(receipt.agency().key() + "/" + status,
                k -> meters.counter("sw.receipts", "agency", receipt.agency().key(), "status", status)).increment();
        // how long after the submission each agency answered (acknowledgement, decision, settlement)
        String kind = receipt.kind().name().toLowerCase(Locale.ROOT);
        receiptLatencies.computeIfAbsent(receipt.agency().key() + "/" + kind,
                        k -> Timer.builder("sw.receipts.latency").tag("agency", receipt.agency().key()).tag("kind", kind)
                                .description("Time from submission to the agency's receipt").publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofHours(1)).register(meters))
                .record(Duration.between(submittedAt, receipt.decidedAt()).abs());
    }
}

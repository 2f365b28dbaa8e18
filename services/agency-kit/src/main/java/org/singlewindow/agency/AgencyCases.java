package org.singlewindow.agency;

import org.singlewindow.contract.DeclarationReturnRequested;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Outcome;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.kit.messaging.TransactionScoped;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An agency's cases, the one class that reads and writes its tables: what it received and decided
 * ({@code received_declaration}), outcomes that came before their declaration ({@code early_conclusion}), the return
 * applications and goods its officer reviews ({@code agency_return_review}), its settlements of returns
 * ({@code agency_return}) and its officers' decisions ({@code review_decision}). Every call runs in the caller's
 * transaction; "locked" reads take the case's row lock.
 */
public class AgencyCases {

    private final JdbcClient jdbc;
    /** The version of each case, as far as the current transaction's batch knows it (a cache of {@link #versionOf}). */
    private final TransactionScoped<Map<UUID, Integer>> versions = new TransactionScoped<>(HashMap::new);

    public AgencyCases(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // ——— receiving ———

    /** A declaration's case, as it was received. */
    public record Received(UUID declarationId, String messageId, String enterpriseId, String declarationType, String ebpCode,
                           String orderNo, String payload, String[] lockKeys, int version) {
    }

    /** Open a case for a declaration received for the first time ({@code ACCEPTED}); false if it has one. */
    public boolean open(Received r) {
        boolean opened = jdbc.sql("""
                        insert into received_declaration (declaration_id, message_id, enterprise_id, declaration_type,
                            ebp_code, order_no, payload, status, lock_keys, version)
                        values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) on conflict (declaration_id) do nothing""")
                .params(r.declarationId(), r.messageId(), r.enterpriseId(), r.declarationType(), r.ebpCode(), r.orderNo(),
                        r.payload(), ReceiptStatus.ACCEPTED.name(), r.lockKeys(), r.version())
                .update() == 1;
        if (opened) {
            remember(r.declarationId(), r.version());
        }
        return opened;
    }

    /** A case an amendment finds, locked. */
    public record Current(int version, OffsetDateTime settledAt, ReceiptStatus status, String reasonCode) {
    }

    public Optional<Current> lockedForAmendment(UUID declarationId) {
        return jdbc.sql("select version, settled_at, status, reason_code from received_declaration where declaration_id = ? for update")
                .param(declarationId)
                .query((rs, n) -> new Current(rs.getInt(1), rs.getObject(2, OffsetDateTime.class),
                        ReceiptStatus.valueOf(rs.getString(3)), rs.getString(4)))
                .optional();
    }

    /**
     * The case goes on with a later version: held, it stays held for its officer on the new version; otherwise it
     * starts again ({@code ACCEPTED}, undecided).
     */
    public void amend(Received r, boolean held) {
        if (held) {
            jdbc.sql("""
                            update received_declaration set message_id = ?, enterprise_id = ?, payload = ?::jsonb, lock_keys = ?, version = ?
                            where declaration_id = ?""")
                    .params(r.messageId(), r.enterpriseId(), r.payload(), r.lockKeys(), r.version(), r.declarationId())
                    .update();
        } else {
            jdbc.sql("""
                            update received_declaration set message_id = ?, enterprise_id = ?, payload = ?::jsonb, status = ?, lock_keys = ?,
                                version = ?, reason_code = null, decided_at = null, deferred_until = null, defer_count = 0, defer_reason = null
                            where declaration_id = ?""")
                    .params(r.messageId(), r.enterpriseId(), r.payload(), ReceiptStatus.ACCEPTED.name(), r.lockKeys(),
                            r.version(), r.declarationId())
                    .update();
        }
        remember(r.declarationId(), r.version());
    }

    /** What the cases of these declarations locked when they were decided (kept with them), for their later messages. */
    public List<String> lockKeysOf(Collection<UUID> declarationIds) {
        return jdbc.sql("""
                        select distinct unnest(lock_keys) from received_declaration
                        where declaration_id = any(?) and lock_keys is not null""")
                .param(declarationIds.toArray(UUID[]::new)).query(String.class).list();
    }

    /** The version of the declaration a case is about (1 if it has none yet). */
    public int versionOf(UUID declarationId) {
        Map<UUID, Integer> known = versions.find();
        Integer version = known == null ? null : known.get(declarationId);
        if (version != null) {
            return version;
        }
        return jdbc.sql("select version from received_declaration where declaration_id = ?").param(declarationId)
                .query(Integer.class).optional().orElse(1);
    }

    private void remember(UUID declarationId, int version) {
        Map<UUID, Integer> known = versions.find();
        if (known != null) {
            known.put(declarationId, version);
        }
    }

    // ——— deciding ———

    /** Record a decision (the policy's, or an officer's): it no longer waits. */
    public void record(UUID declarationId, Decision decision) {
        jdbc.sql("""
                        update received_declaration set status = ?, reason_code = ?, decided_at = now(), deferred_until = null
                        where declaration_id = ?""")
                .params(decision.status().name(), decision.reasonCode(), declarationId)
                .update();
    }

    /** The decision waits: asked again after a pause that doubles each time, up to {@code max}. */
    public void defer(UUID declarationId, Duration initial, Duration max, String reason) {
        int attempts = jdbc.sql("select defer_count from received_declaration where declaration_id = ?")
                .param(declarationId).query(Integer.class).single();
        Duration pause = initial.multipliedBy(1L << Math.min(attempts, 20));
        pause = pause.compareTo(max) > 0 ? max : pause;
        jdbc.sql("""
                        update received_declaration set deferred_until = now() + ? * interval '1 millisecond',
                            defer_count = defer_count + 1, defer_reason = ? where declaration_id = ?""")
                .params(pause.toMillis(), reason, declarationId).update();
    }

    /** Ask again about a deferred decision no sooner than after {@code pause}. */
    public void postpone(UUID declarationId, Duration pause) {
        jdbc.sql("update received_declaration set deferred_until = now() + ? * interval '1 millisecond' where declaration_id = ?")
                .params(pause.toMillis(), declarationId).update();
    }

    /** What these deferred decisions waited for has come: due now; returns how many were deferred. */
    public int dueNow(Collection<UUID> declarationIds) {
        return jdbc.sql("update received_declaration set deferred_until = now() where declaration_id = any(?) and deferred_until is not null")
                .param(declarationIds.toArray(UUID[]::new)).update();
    }

    /** Deferred decisions that are due, the longest waiting first. */
    public List<UUID> due(int limit) {
        return jdbc.sql("select declaration_id from received_declaration where deferred_until <= now() order by deferred_until limit ?")
                .param(limit).query(UUID.class).list();
    }

    /** Whether the case is still {@link CaseState#DEFERRED} and due (call under its lock). */
    public boolean deferredAndDue(UUID declarationId) {
        return jdbc.sql("""
                        select count(*) from received_declaration
                        where declaration_id = ? and status = 'ACCEPTED' and deferred_until <= now()""")
                .param(declarationId).query(Long.class).single() == 1;
    }

    /** The declaration as received, while the copy is kept. */
    public Optional<String> payload(UUID declarationId) {
        return jdbc.sql("select payload::text from received_declaration where declaration_id = ? and payload is not null")
                .param(declarationId).query(String.class).optional();
    }

    // ——— officers ———

    /** A case's decision, locked (for an officer's review); empty for a declaration never received. */
    public Optional<ReceiptStatus> lockedStatus(UUID declarationId) {
        return jdbc.sql("select status from received_declaration where declaration_id = ? for update")
                .param(declarationId).query(String.class).optional().map(ReceiptStatus::valueOf);
    }

    /** Holds received before {@code before} ago, the oldest first. */
    public List<UUID> heldLongerThan(Duration before, int limit) {
        return jdbc.sql("select declaration_id from received_declaration where " + CaseState.HELD.where()
                        + " and received_at < now() - ? * interval '1 second' order by received_at limit ?")
                .params(before.toSeconds(), limit).query(UUID.class).list();
    }

    /** Keep an officer's decision: who, what, why. */
    public void audit(UUID declarationId, String officer, String decision, String reason) {
        jdbc.sql("insert into review_decision (declaration_id, officer, decision, reason, decided_at) values (?, ?, ?, ?, now())")
                .params(declarationId, officer, decision, reason).update();
    }

    /** What an administrator watches: cases deferred, held, held longer than {@code overdue}, the oldest hold's age. */
    public record Counts(long deferred, long held, long overdue, Double oldest) {
    }

    public Counts counts(Duration overdue) {
        String held = CaseState.HELD.where();
        return jdbc.sql("select count(*) filter (where " + CaseState.DEFERRED.where() + ") as deferred,"
                        + " count(*) filter (where " + held + ") as held,"
                        + " count(*) filter (where " + held + " and received_at < now() - ? * interval '1 second') as overdue,"
                        + " extract(epoch from now() - min(received_at) filter (where " + held + "))::float8 as oldest"
                        + " from received_declaration where status in ('ACCEPTED', " + CaseState.HOLDS + ")")
                .param(overdue.toSeconds()).query(Counts.class).single();
    }

    // ——— outcomes ———

    /** A case as an outcome needs it. */
    public record Outcomed(ReceiptStatus status, OffsetDateTime settledAt, int version) {
    }

    /** The cases of these declarations, locked, as outcomes need them. */
    public Map<UUID, Outcomed> lockedForOutcomes(Collection<UUID> declarationIds) {
        Map<UUID, Outcomed> cases = new HashMap<>();
        jdbc.sql("select declaration_id, status, settled_at, version from received_declaration where declaration_id = any(?) for update")
                .param(declarationIds.toArray(UUID[]::new))
                .query((rs, n) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    remember(id, rs.getInt(4));
                    return cases.put(id, new Outcomed(ReceiptStatus.valueOf(rs.getString(2)), rs.getObject(3, OffsetDateTime.class),
                            rs.getInt(4)));
                }).list();
        return cases;
    }

    public Optional<Outcomed> lockedForOutcome(UUID declarationId) {
        return Optional.ofNullable(lockedForOutcomes(List.of(declarationId)).get(declarationId));
    }

    /** Start this transaction's cache of versions (a batch's {@code prepare}). */
    public void startBatch() {
        versions.current();
    }

    /** An outcome that came before its declaration: remembered, to close the case on arrival. */
    public void rememberEarly(UUID declarationId, Outcome outcome) {
        jdbc.sql("insert into early_conclusion (declaration_id, outcome, received_at) values (?, ?, now()) on conflict do nothing")
                .params(declarationId, outcome.name()).update();
    }

    /** Take the early outcomes waiting for these declarations (each is taken once). */
    public Map<UUID, Outcome> claimEarly(Collection<UUID> declarationIds) {
        Map<UUID, Outcome> early = new HashMap<>();
        jdbc.sql("delete from early_conclusion where declaration_id = any(?) returning declaration_id, outcome")
                .param(declarationIds.toArray(UUID[]::new))
                .query((rs, n) -> early.put(rs.getObject(1, UUID.class), Outcome.valueOf(rs.getString(2)))).list();
        return early;
    }

    /** The outcome settled here, with what was done. */
    public void settled(UUID declarationId, Outcome outcome, Settlement settlement) {
        jdbc.sql("""
                        update received_declaration set outcome = ?, settled_at = now(), settlement = ?, deferred_until = null
                        where declaration_id = ?""")
                .params(outcome.name(), settlement.reasonCode(), declarationId).update();
    }

    // ——— withdrawal after release ———

    /** A case as a withdrawal needs it. */
    public record Withdrawable(String outcome, OffsetDateTime settledAt, OffsetDateTime withdrawnAt) {
        /** Cleared at the window and settled here: what a withdrawal restores. */
        public boolean clearedAndSettled() {
            return "CLEARED".equals(outcome) && settledAt != null;
        }
    }

    /** The outcome and withdrawal of a case, as they stand (no lock: call under a lock that orders it with them). */
    public Optional<Withdrawable> withdrawable(UUID declarationId) {
        return jdbc.sql("select outcome, settled_at, withdrawn_at from received_declaration where declaration_id = ?")
                .param(declarationId).query(Withdrawable.class).optional();
    }

    public Optional<Withdrawable> lockedForWithdrawal(UUID declarationId) {
        return jdbc.sql("select outcome, settled_at, withdrawn_at from received_declaration where declaration_id = ? for update")
                .param(declarationId).query(Withdrawable.class).optional();
    }

    /** Where a withdrawal application stands with the agency that reviews it. */
    public enum WithdrawalReview {
        PENDING, APPROVED, REFUSED
    }

    /** Keep a withdrawal application for the officer; false if one waits already. */
    public boolean keepWithdrawalApplication(UUID declarationId, String reason) {
        return jdbc.sql("""
                        update received_declaration set withdrawal_review = 'PENDING', withdrawal_application = ?
                        where declaration_id = ? and withdrawal_review is distinct from 'PENDING'""")
                .params(reason, declarationId).update() == 1;
    }

    /** Where the withdrawal application stands, locked: empty without a case, {@code null} inside without one. */
    public Optional<Optional<WithdrawalReview>> lockedWithdrawalReview(UUID declarationId) {
        return jdbc.sql("select withdrawal_review from received_declaration where declaration_id = ? for update")
                .param(declarationId)
                .query((rs, n) -> Optional.ofNullable(rs.getString(1)).map(WithdrawalReview::valueOf)).optional();
    }

    public void withdrawalReviewed(UUID declarationId, WithdrawalReview review) {
        jdbc.sql("update received_declaration set withdrawal_review = ? where declaration_id = ?")
                .params(review.name(), declarationId).update();
    }

    /** Withdrawn here, with what was restored. */
    public void withdrawn(UUID declarationId, String restored) {
        jdbc.sql("update received_declaration set withdrawn_at = now(), withdrawal = ? where declaration_id = ?")
                .params(restored, declarationId).update();
    }

    // ——— returns ———

    /**
     * Where a return stands with the agency that reviews it (customs): its application {@code PENDING}, then
     * {@code APPROVED} or {@code REFUSED}; once approved its goods {@code ARRIVED}, then {@code CHECKED} or
     * {@code CHECK_FAILED}.
     */
    public enum ReturnReviewState {
        PENDING, APPROVED, REFUSED, ARRIVED, CHECKED, CHECK_FAILED
    }

    /** Keep a return application for the officer; false if it was kept before (or the declaration is not here). */
    public boolean keepReturnApplication(DeclarationReturnRequested application) {
        return jdbc.sql("""
                        insert into agency_return_review (return_id, declaration_id, reason, lines, requested_at, state)
                        select ?, declaration_id, ?, ?::jsonb, ?, 'PENDING' from received_declaration where declaration_id = ?
                        on conflict do nothing""")
                .params(application.returnId(), String.valueOf(application.reason()), Json.mapper().writeValueAsString(application.lines()),
                        application.requestedAt(), application.declarationId()).update() == 1;
    }

    /** The goods of an approved return arrived; false if it was not waiting for them. */
    public boolean returnArrived(UUID declarationId, UUID returnId, OffsetDateTime at) {
        return jdbc.sql("""
                        update agency_return_review set state = 'ARRIVED', arrived_at = ?
                        where return_id = ? and declaration_id = ? and state = 'APPROVED'""")
                .params(at, returnId, declarationId).update() == 1;
    }

    public Optional<ReturnReviewState> lockedReturnReview(UUID declarationId, UUID returnId) {
        return jdbc.sql("select state from agency_return_review where return_id = ? and declaration_id = ? for update")
                .params(returnId, declarationId).query(String.class).optional().map(ReturnReviewState::valueOf);
    }

    /** An officer decided the return's application (approved, refused) or its goods (checked, check failed). */
    public void returnReviewed(UUID returnId, ReturnReviewState state) {
        String at = state == ReturnReviewState.APPROVED || state == ReturnReviewState.REFUSED ? "decided_at" : "checked_at";
        jdbc.sql("update agency_return_review set state = ?, " + at + " = now() where return_id = ?")
                .params(state.name(), returnId).update();
    }

    /** Claim a return's settlement here; false if it was settled before. */
    public boolean claimReturnSettlement(UUID returnId, UUID declarationId) {
        return jdbc.sql("""
                        insert into agency_return (return_id, declaration_id, settled_at, settlement) values (?, ?, now(), '')
                        on conflict do nothing""")
                .params(returnId, declarationId).update() == 1;
    }

    public void returnSettled(UUID returnId, String settlement) {
        jdbc.sql("update agency_return set settlement = ? where return_id = ?").params(settlement, returnId).update();
    }

    // ——— the back-office's reading ———

    /**
     * One declaration as this agency sees it. {@code state} where the case stands ({@link CaseState}); {@code ageSeconds}
     * since it was received; {@code overdue} when it is held longer than {@code sw.decision.hold-overdue-after};
     * {@code deferredUntil}/{@code deferReason} when the decision waits for something outside the platform;
     * {@code outcome} at the window and this agency's {@code settlement} of it once followed up; {@code withdrawalReview}
     * (PENDING, APPROVED, REFUSED) and the enterprise's {@code withdrawalApplication} (its reason) where this agency
     * reviews withdrawals.
     */
    public record CaseSummary(UUID declarationId, String enterpriseId, String declarationType, String ebpCode,
                              String orderNo, String status, String reasonCode, String state, OffsetDateTime receivedAt,
                              OffsetDateTime decidedAt, long ageSeconds, boolean overdue, OffsetDateTime deferredUntil,
                              String deferReason, String outcome, String settlement, OffsetDateTime settledAt,
                              String withdrawalReview, String withdrawalApplication) {
    }

    private static final String SUMMARY = "select declaration_id, enterprise_id, declaration_type, ebp_code, order_no, status,"
            + " reason_code, " + CaseState.SQL + " as state, received_at, decided_at,"
            + " extract(epoch from now() - received_at)::bigint as age_seconds,"
            + " (" + CaseState.HELD.where() + " and received_at < now() - :overdue * interval '1 second') as overdue,"
            + " deferred_until, defer_reason, outcome, settlement, settled_at, withdrawal_review, withdrawal_application"
            + " from received_declaration";

    /** The queues an officer works, beside a plain decision status. */
    public enum Queue {
        /** Held for an officer (both holds). */
        HELD,
        /** The decision waits for something outside the platform. */
        DEFERRED,
        /** A withdrawal application awaits review. */
        WITHDRAWAL_REVIEW,
        /** A return application awaits review, or returned goods their check. */
        RETURN_REVIEW
    }

    /** What the queue shows: filters (null: any), order and page. */
    public record Query(Queue queue, ReceiptStatus status, String enterpriseId, String reasonCode, boolean overdueOnly,
                        OffsetDateTime receivedFrom, OffsetDateTime receivedTo, boolean oldestFirst, int page, int size) {
    }

    public List<CaseSummary> list(Query q, Duration overdue) {
        StringBuilder where = new StringBuilder(" where true");
        Map<String, Object> params = new HashMap<>();
        params.put("overdue", overdue.toSeconds());
        if (q.queue() != null) {
            where.append(" and ").append(switch (q.queue()) {
                case HELD -> CaseState.HELD.where();
                case DEFERRED -> CaseState.DEFERRED.where();
                case WITHDRAWAL_REVIEW -> "withdrawal_review = 'PENDING'";
                case RETURN_REVIEW -> "exists (select 1 from agency_return_review r"
                        + " where r.declaration_id = received_declaration.declaration_id and r.state in ('PENDING', 'ARRIVED'))";
            });
        }
        if (q.status() != null) {
            params.put("status", q.status().name());
            where.append(" and status = :status");
        }
        if (q.enterpriseId() != null) {
            params.put("enterprise", q.enterpriseId());
            where.append(" and enterprise_id = :enterprise");
        }
        if (q.reasonCode() != null) {
            params.put("reason", q.reasonCode());
            where.append(" and reason_code = :reason");
        }
        if (q.overdueOnly()) {
            where.append(" and ").append(CaseState.HELD.where()).append(" and received_at < now() - :overdue * interval '1 second'");
        }
        if (q.receivedFrom() != null) {
            params.put("from", q.receivedFrom());
            where.append(" and received_at >= :from");
        }
        if (q.receivedTo() != null) {
            params.put("to", q.receivedTo());
            where.append(" and received_at < :to");
        }
        params.put("limit", q.size());
        params.put("offset", (long) q.page() * q.size());
        return jdbc.sql(SUMMARY + where + (q.oldestFirst() ? " order by received_at" : " order by received_at desc")
                        + " limit :limit offset :offset")
                .params(params).query(CaseSummary.class).list();
    }

    public Optional<CaseSummary> find(UUID declarationId, Duration overdue) {
        return jdbc.sql(SUMMARY + " where declaration_id = :id")
                .param("overdue", overdue.toSeconds()).param("id", declarationId).query(CaseSummary.class).optional();
    }

    /** The order a received declaration declares. */
    public record Order(String ebpCode, String orderNo) {
    }

    /** The orders these received declarations declare (those received here). */
    public Map<UUID, Order> orders(Collection<UUID> declarationIds) {
        Map<UUID, Order> orders = new HashMap<>();
        jdbc.sql("select declaration_id, ebp_code, order_no from received_declaration where declaration_id = any(?)")
                .param(declarationIds.toArray(UUID[]::new))
                .query((rs, n) -> orders.put(rs.getObject(1, UUID.class), new Order(rs.getString(2), rs.getString(3)))).list();
        return orders;
    }

    public boolean exists(UUID declarationId) {
        return jdbc.sql("select count(*) from received_declaration where declaration_id = ?")
                .param(declarationId).query(Long.class).single() > 0;
    }

    public record SentReceipt(UUID receiptId, String kind, String status, int statusCode, String reasonCode,
                              String message, OffsetDateTime decidedAt, String payload) {
    }

    /** Every receipt this agency sent about a declaration, in order. */
    public List<SentReceipt> receipts(UUID declarationId) {
        return jdbc.sql("""
                        select receipt_id, kind, status, status_code, reason_code, message, decided_at, payload::text as payload
                        from sent_receipt where declaration_id = ? order by decided_at, kind""")
                .param(declarationId).query(SentReceipt.class).list();
    }

    public record Review(String officer, String decision, String reason, OffsetDateTime decidedAt) {
    }

    /** Every officer's decision on a declaration, in order. */
    public List<Review> reviews(UUID declarationId) {
        return jdbc.sql("select officer, decision, reason, decided_at from review_decision where declaration_id = ? order by id")
                .param(declarationId).query(Review.class).list();
    }

    /**
     * A return as the reviewing agency keeps it (customs): its application PENDING, then APPROVED or REFUSED; once
     * approved its goods ARRIVED back in the zone (checked at {@code checkedAt}), then CHECKED or CHECK_FAILED.
     */
    public record ReturnReview(UUID returnId, String reason, String lines, OffsetDateTime requestedAt, String state,
                                 OffsetDateTime decidedAt, OffsetDateTime arrivedAt, OffsetDateTime checkedAt) {
    }

    public List<ReturnReview> returnReviews(UUID declarationId) {
        return jdbc.sql("""
                        select return_id, reason, lines::text as lines, requested_at, state, decided_at, arrived_at, checked_at
                        from agency_return_review where declaration_id = ? order by requested_at""")
                .param(declarationId).query(ReturnReview.class).list();
    }
}

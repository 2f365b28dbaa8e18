package org.singlewindow.declaration.lifecycle;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationCancelled;
import org.singlewindow.contract.DeclarationConcluded;
import org.singlewindow.contract.DeclarationReturnApproved;
import org.singlewindow.contract.DeclarationReturnArrived;
import org.singlewindow.contract.DeclarationReturnRefused;
import org.singlewindow.contract.DeclarationReturnRequested;
import org.singlewindow.contract.DeclarationReturned;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.DeclarationWithdrawalApproved;
import org.singlewindow.contract.DeclarationWithdrawalRequested;
import org.singlewindow.contract.DeclarationWithdrawn;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Outcome;
import org.singlewindow.contract.ReturnLine;
import org.singlewindow.contract.Topology;
import org.singlewindow.kit.messaging.Outbox;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The one writer of a declaration's status and of its timeline, and the outbox of what each change announces: all
 * three in the caller's transaction. Every change of status is checked against {@link DeclarationCase}; the status
 * and the timeline are written nowhere else. (The database's {@code webhook_status} trigger turns each change into
 * its webhook deliveries, set-based.)
 */
@Repository
public class DeclarationRecords {

    private final JdbcTemplate jdbc;
    private final Outbox outbox;

    public DeclarationRecords(JdbcTemplate jdbc, Outbox outbox) {
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    /** One entry of a declaration's timeline. */
    public record Entry(UUID declarationId, TimelineKind kind, String detail) {
        static Entry status(UUID id, DeclarationStatus from, DeclarationStatus to) {
            return new Entry(id, TimelineKind.STATUS, from + " -> " + to);
        }
    }

    /** Timeline entries gathered over a batch, written together at its end ({@link #write}), in the order added. */
    public static final class Timeline {
        private final List<Entry> entries = new ArrayList<>();

        public void add(UUID declarationId, TimelineKind kind, String detail) {
            entries.add(new Entry(declarationId, kind, detail));
        }

        void add(Entry entry) {
            entries.add(entry);
        }
    }

    /** Write the timeline entries gathered, all at {@code at}; one statement. */
    public void write(Timeline timeline, OffsetDateTime at) {
        if (timeline.entries.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("insert into declaration_event (declaration_id, at, kind, detail) values (?, ?, ?, ?)",
                timeline.entries.stream().map(e -> new Object[]{e.declarationId(), at, e.kind().name(), e.detail()}).toList());
        timeline.entries.clear();
    }

    /** One entry, now. */
    public void entry(UUID declarationId, OffsetDateTime at, TimelineKind kind, String detail) {
        Timeline timeline = new Timeline();
        timeline.add(declarationId, kind, detail);
        write(timeline, at);
    }

    private void announce(String routingKey, UUID declarationId, Object message) {
        outbox.add(Topology.DECLARATIONS_EXCHANGE, routingKey, declarationId, message);
    }

    // ——— filing and amendment ———

    /**
     * Keep a new declaration, {@code RECEIVED} and fanned out, or {@code AWAITING_PARTIES} (the firms named in
     * {@code awaiting}) with its timeline's word for what it waits for.
     *
     * @return false when its order is declared already (nothing written)
     */
    public boolean file(UUID id, Declaration declaration, String enterpriseId, String hash, OffsetDateTime now,
                        String[] awaiting, String awaitingDetail) {
        DeclarationStatus status = awaiting == null ? DeclarationStatus.RECEIVED : DeclarationStatus.AWAITING_PARTIES;
        DeclarationCase.check(null, status);
        int inserted = jdbc.update("""
                        insert into declaration (id, guid, enterprise_id, ebp_code, ebc_code, order_no, app_type, declaration_type,
                            status, body, request_hash, submitted_at, updated_at, awaiting_parties, pre_no, invt_no)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?,
                            'B' || to_char(now() at time zone 'Asia/Shanghai', 'YYYYMMDD')
                                || lpad((nextval('declaration_pre_no_seq') % 1000000000)::text, 9, '0'),
                            ? || to_char(now() at time zone 'Asia/Shanghai', 'YYYY') || 'I'
                                || lpad((nextval('declaration_invt_no_seq') % 1000000000)::text, 9, '0'))
                        on conflict (ebp_code, ebc_code, order_no) where app_type = 'NEW' do nothing""",
                id, declaration.guid(), enterpriseId, declaration.order().ebpCode(), declaration.order().ebcCode(),
                declaration.order().orderNo(), declaration.appType().name(), declaration.declarationType().name(),
                status.name(), Json.mapper().writeValueAsString(declaration), hash, now, now, awaiting,
                declaration.declarant().customsCode());
        if (inserted == 0) {
            return false;
        }
        if (awaiting != null) {
            entry(id, now, TimelineKind.AWAITING_PARTIES, awaitingDetail);
            return true;
        }
        entry(id, now, TimelineKind.SUBMITTED, "declaration received and fanned out to every agency");
        announce(Topology.DECLARATION_SUBMITTED, id, new DeclarationSubmitted(id, enterpriseId, now, declaration));
        return true;
    }

    /** Still waiting for the firms in {@code left}; those confirmed now are on the timeline. */
    public void partiesAwaited(UUID id, String[] left, List<String> confirmed, OffsetDateTime now) {
        jdbc.update("update declaration set awaiting_parties = ?, updated_at = ? where id = ?", left, now, id);
        Timeline timeline = new Timeline();
        confirmed.forEach(detail -> timeline.add(id, TimelineKind.PARTY_CONFIRMED, detail));
        write(timeline, now);
    }

    /** Every firm confirmed its own part: {@code RECEIVED}, fanned out as version {@code version}. */
    public void partiesConfirmed(UUID id, List<String> confirmed, OffsetDateTime now, DeclarationSubmitted submitted) {
        DeclarationCase.check(DeclarationStatus.AWAITING_PARTIES, DeclarationStatus.RECEIVED);
        jdbc.update("update declaration set status = ?, awaiting_parties = null, updated_at = ? where id = ?",
                DeclarationStatus.RECEIVED.name(), now, id);
        Timeline timeline = new Timeline();
        confirmed.forEach(detail -> timeline.add(id, TimelineKind.PARTY_CONFIRMED, detail));
        timeline.add(Entry.status(id, DeclarationStatus.AWAITING_PARTIES, DeclarationStatus.RECEIVED));
        timeline.add(id, TimelineKind.SUBMITTED, "each party confirmed its own part: fanned out to every agency");
        write(timeline, now);
        announce(Topology.DECLARATION_SUBMITTED, id, submitted);
    }

    /**
     * Version {@code version} replaces the body. A declaration awaiting its parties keeps waiting (no agency saw it);
     * any other starts again {@code RECEIVED}: its consolidation is forgotten and every agency decides again.
     */
    public void amended(UUID id, DeclarationStatus from, Declaration declaration, String hash, int version, String detail,
                        OffsetDateTime now, String enterpriseId) {
        boolean awaiting = from == DeclarationStatus.AWAITING_PARTIES;
        DeclarationStatus to = awaiting ? from : DeclarationStatus.RECEIVED;
        if (from != to) {
            DeclarationCase.check(from, to);
        }
        jdbc.update("update declaration set body = ?::jsonb, request_hash = ?, version = ?, status = ?, updated_at = ? where id = ?",
                Json.mapper().writeValueAsString(declaration), hash, version, to.name(), now, id);
        Timeline timeline = new Timeline();
        timeline.add(id, TimelineKind.AMENDED, detail);
        if (awaiting) {
            write(timeline, now);
            return;
        }
        jdbc.update("delete from declaration_progress where declaration_id = ?", id);
        if (from != to) {
            timeline.add(Entry.status(id, from, to));
        }
        write(timeline, now);
        announce(Topology.DECLARATION_AMENDED, id, new DeclarationSubmitted(id, enterpriseId, now, declaration, version));
    }

    // ——— outcomes ———

    /**
     * Cancelled by the enterprise: final. An awaiting declaration no agency saw ends there; any other is announced, and
     * the follow-ups start (every agency releases what it reserved).
     */
    public void cancelled(UUID id, DeclarationStatus from, String reason, OffsetDateTime now) {
        DeclarationCase.check(from, DeclarationStatus.CANCELLED);
        Outcome followUps = FollowUpsSaga.requested(from, DeclarationStatus.CANCELLED);
        jdbc.update("""
                        update declaration set status = ?, awaiting_parties = null, updated_at = ?, final_at = ?,
                            follow_up_outcome = ?, follow_ups_requested_at = ?
                        where id = ?""",
                DeclarationStatus.CANCELLED.name(), now, now, followUps == null ? null : followUps.name(),
                followUps == null ? null : now, id);
        Timeline timeline = new Timeline();
        timeline.add(id, TimelineKind.CANCELLED, "cancelled by the enterprise" + (reason == null ? "" : ": " + reason));
        if (followUps != null) {
            announce(Topology.DECLARATION_CANCELLED, id, new DeclarationCancelled(id, reason, now));
            timeline.add(id, TimelineKind.FOLLOW_UPS, FollowUpsSaga.requestDetail(followUps));
        }
        write(timeline, now);
    }

    /** A change of status by the agencies' answers (a batch's, consolidated). */
    public record Consolidated(UUID id, DeclarationStatus from, DeclarationStatus to) {
    }

    /**
     * A batch's changes of status by the agencies' answers, with one statement: an outcome (cleared, rejected) is
     * final, announced to every agency and starts the follow-ups. Their entries go to {@code timeline}.
     */
    public void consolidated(List<Consolidated> changes, Timeline timeline, OffsetDateTime now) {
        if (changes.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(changes.size());
        for (Consolidated c : changes) {
            DeclarationCase.check(c.from(), c.to());
            Outcome outcome = FollowUpsSaga.requested(c.from(), c.to());
            rows.add(new Object[]{c.to().name(), now, outcome != null ? now : null, outcome != null ? outcome.name() : null,
                    outcome != null ? now : null, c.id()});
            timeline.add(Entry.status(c.id(), c.from(), c.to()));
            if (outcome != null) {
                announce(Topology.DECLARATION_CONCLUDED, c.id(), new DeclarationConcluded(c.id(), outcome, now));
                timeline.add(c.id(), TimelineKind.FOLLOW_UPS, FollowUpsSaga.requestDetail(outcome));
            }
        }
        jdbc.batchUpdate("""
                update declaration set status = ?, updated_at = ?, final_at = ?,
                    follow_up_outcome = coalesce(?, follow_up_outcome), follow_ups_requested_at = coalesce(?, follow_ups_requested_at)
                where id = ?""", rows);
    }

    /** Every agency settled the outcome of these declarations. */
    public void followUpsCompleted(List<UUID> ids, Timeline timeline, OffsetDateTime now) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("update declaration set follow_ups_completed_at = ?, updated_at = ? where id = ? and follow_ups_completed_at is null",
                ids.stream().map(id -> new Object[]{now, now, id}).toList());
        ids.forEach(id -> timeline.add(id, TimelineKind.FOLLOW_UPS_COMPLETE, "every agency has settled what it reserved"));
    }

    // ——— life after release ———

    /** Logistics reported the goods out of the bonded zone (the first report counts). */
    public void leftZone(UUID id, OffsetDateTime at) {
        jdbc.update("update declaration set left_zone_at = coalesce(left_zone_at, ?) where id = ?", at, id);
    }

    /** 899: the tax period is over and its tax paid. */
    public void clearanceCompleted(UUID id, OffsetDateTime at, Timeline timeline) {
        jdbc.update("update declaration set clearance_completed_at = coalesce(clearance_completed_at, ?) where id = ?", at, id);
        timeline.add(id, TimelineKind.CLEARANCE_COMPLETE, "899 clearance complete: the tax period is over and its tax paid");
    }

    /** The enterprise applied to withdraw a cleared declaration (CEB623): {@code WITHDRAWING}, announced. */
    public void withdrawalApplied(UUID id, String reason, OffsetDateTime now) {
        DeclarationCase.check(DeclarationStatus.CLEARED, DeclarationStatus.WITHDRAWING);
        jdbc.update("""
                        update declaration set status = ?, withdrawal_reason = ?, withdrawal_requested_at = ?, updated_at = ?,
                            withdrawal_approved_at = null
                        where id = ?""", DeclarationStatus.WITHDRAWING.name(), reason, now, now, id);
        Timeline timeline = new Timeline();
        timeline.add(id, TimelineKind.WITHDRAWAL_REQUESTED, "withdrawal after release applied for by the enterprise: " + reason
                + "; customs reviews the application (CEB623), then logistics checks that the goods are still in the bonded zone");
        timeline.add(Entry.status(id, DeclarationStatus.CLEARED, DeclarationStatus.WITHDRAWING));
        write(timeline, now);
        announce(Topology.DECLARATION_WITHDRAWAL_REQUESTED, id, new DeclarationWithdrawalRequested(id, reason, now));
    }

    /** One step of the {@link WithdrawalSaga} of a withdrawing declaration, applied. */
    public void withdrawalStep(UUID id, WithdrawalSaga.Step step, String reason, Timeline timeline, OffsetDateTime now) {
        switch (step.kind()) {
            case REFUSED -> {
                DeclarationCase.check(DeclarationStatus.WITHDRAWING, DeclarationStatus.CLEARED);
                jdbc.update("""
                        update declaration set status = 'CLEARED', updated_at = ?, withdrawal_requested_at = null, withdrawal_reason = null,
                            withdrawal_approved_at = null
                        where id = ?""", now, id);
                timeline.add(id, TimelineKind.WITHDRAWAL_REFUSED, step.detail());
                timeline.add(Entry.status(id, DeclarationStatus.WITHDRAWING, DeclarationStatus.CLEARED));
            }
            case APPROVED -> {
                jdbc.update("update declaration set withdrawal_approved_at = ?, updated_at = ? where id = ?", now, now, id);
                announce(Topology.DECLARATION_WITHDRAWAL_APPROVED, id, new DeclarationWithdrawalApproved(id, reason, now));
                timeline.add(id, TimelineKind.WITHDRAWAL_APPROVED, step.detail());
            }
            case ACCEPTED -> {
                jdbc.update("update declaration set withdrawal_accepted_at = ?, updated_at = ? where id = ?", now, now, id);
                announce(Topology.DECLARATION_WITHDRAWN, id, new DeclarationWithdrawn(id, reason, now));
                timeline.add(id, TimelineKind.WITHDRAWAL_ACCEPTED, step.detail());
            }
            case WITHDRAWN -> {
                DeclarationCase.check(DeclarationStatus.WITHDRAWING, DeclarationStatus.WITHDRAWN);
                jdbc.update("update declaration set status = 'WITHDRAWN', withdrawn_at = ?, updated_at = ? where id = ?", now, now, id);
                timeline.add(Entry.status(id, DeclarationStatus.WITHDRAWING, DeclarationStatus.WITHDRAWN));
            }
        }
    }

    /** The enterprise applied to return some lines (CEB625): the return {@code APPLIED}, announced. */
    public void returnApplied(DeclarationReturnRequested application, String detail) {
        jdbc.update("""
                        insert into declaration_return (return_id, declaration_id, lines, reason, requested_at, receive_by, state)
                        values (?, ?, ?::jsonb, ?, ?, ?, ?)""",
                application.returnId(), application.declarationId(), Json.mapper().writeValueAsString(application.lines()),
                application.reason(), application.requestedAt(), application.receiveBy(), ReturnSaga.State.APPLIED.name());
        entry(application.declarationId(), application.requestedAt(), TimelineKind.RETURN_REQUESTED, detail);
        announce(Topology.DECLARATION_RETURN_REQUESTED, application.declarationId(), application);
    }

    /**
     * One step of the {@link ReturnSaga} of return {@code returnId}, applied at {@code at}: its new state with what it
     * records, its announcement, its timeline entry.
     *
     * @param lines   the return's lines, as kept (JSON), for the announcement that every agency settles them
     * @param message the agency's own words (a refusal's reason)
     */
    public void returnStep(UUID declarationId, UUID returnId, ReturnSaga.Step step, String lines, String message,
                           Timeline timeline, OffsetDateTime at) {
        if (step.next() != null) {
            String column = switch (step.next()) {
                case APPROVED -> "approved_at";
                case ARRIVED -> "arrived_at";
                case RECEIVED -> "received_at";
                case REFUSED -> "refused_at";
                case COMPLETED -> "completed_at";
                case APPLIED -> throw new IllegalStateException("no step goes back to APPLIED");
            };
            jdbc.update("update declaration_return set state = ?, " + column + " = ?, refusal = coalesce(?, refusal) where return_id = ?",
                    step.next().name(), at, step.next() == ReturnSaga.State.REFUSED ? message : null, returnId);
        }
        if (step.announce() != null) {
            switch (step.announce()) {
                case APPROVED -> announce(Topology.DECLARATION_RETURN_APPROVED, declarationId,
                        new DeclarationReturnApproved(declarationId, returnId, at));
                case ARRIVED -> announce(Topology.DECLARATION_RETURN_ARRIVED, declarationId,
                        new DeclarationReturnArrived(declarationId, returnId, at));
                case RETURNED -> announce(Topology.DECLARATION_RETURNED, declarationId, new DeclarationReturned(declarationId, returnId,
                        List.of(Json.mapper().readValue(lines, ReturnLine[].class)), at));
                case REFUSED -> announce(Topology.DECLARATION_RETURN_REFUSED, declarationId,
                        new DeclarationReturnRefused(declarationId, returnId, at, message));
            }
        }
        if (step.entry() != null) {
            timeline.add(declarationId, step.entry(), step.detail(returnId, message));
        }
    }
}

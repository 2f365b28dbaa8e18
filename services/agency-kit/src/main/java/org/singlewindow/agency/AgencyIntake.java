package org.singlewindow.agency;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.DeclarationCancelled;
import org.singlewindow.contract.DeclarationConcluded;
import org.singlewindow.contract.DeclarationReturnApproved;
import org.singlewindow.contract.DeclarationReturnArrived;
import org.singlewindow.contract.DeclarationReturnRefused;
import org.singlewindow.contract.DeclarationReturnRequested;
import org.singlewindow.contract.DeclarationReturned;
import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.DeclarationWithdrawalApproved;
import org.singlewindow.contract.DeclarationWithdrawalRequested;
import org.singlewindow.contract.DeclarationWithdrawn;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Outcome;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.Topology;
import org.singlewindow.kit.web.ApiException;
import org.singlewindow.kit.messaging.IncomingMessage;
import org.singlewindow.kit.messaging.Locks;
import org.singlewindow.kit.messaging.MessageHandler;
import org.singlewindow.kit.messaging.NonRetryableMessageException;
import org.singlewindow.kit.privacy.PersonalData;
import org.singlewindow.kit.messaging.Outbox;
import org.singlewindow.kit.messaging.TransactionScoped;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An agency's intake of declaration events, all of it in the consumer's transaction so that a
 * redelivery changes nothing:
 * <ul>
 *   <li>{@code declaration.submitted.v1}: keep what was received, answer at once with an acknowledgement
 *   (120), then ask the {@link DecisionPolicy} and answer with its decision — or, if the policy defers,
 *   ask it again later ({@link DeferredDecisions});</li>
 *   <li>{@code declaration.amended.v1} (a later version, before the outcome): the policy releases what it
 *   reserved for the earlier version ({@link DecisionPolicy#superseded}), the case starts again on the new
 *   version, acknowledged and decided as if submitted; every receipt names the version it answers about,
 *   and an older version arriving late changes nothing;</li>
 *   <li>{@code declaration.concluded.v1} and {@code declaration.cancelled.v1}: close what is still open
 *   here (902 void), let the policy commit or release what it reserved, and answer with a settlement
 *   receipt (901) — once per declaration;</li>
 *   <li>{@code declaration.withdrawal-requested.v1} (CEB623): the agency that reviews withdrawals (customs)
 *   keeps the application for its officer (a withdrawal receipt 300), who approves (800) or refuses (100) it;
 *   {@code declaration.withdrawal-approved.v1}: the agency that arbitrates withdrawals (logistics) accepts —
 *   restoring what it committed — or refuses, with a withdrawal receipt (903 or 100); the others ignore
 *   both. {@code declaration.withdrawn.v1}: every agency not yet withdrawn restores what it committed
 *   and answers 903 — once per declaration;</li>
 *   <li>{@code declaration.return-requested.v1} (CEB625): the policy records it if it must (logistics), and the
 *   agency that reviews returns (customs) keeps it for its officer (a return receipt 300), who approves (800) or
 *   refuses (100) it; {@code declaration.return-approved.v1}: the policy records it (logistics may receive the goods);
 *   {@code declaration.return-arrived.v1}: the goods are back and the reviewing agency keeps them for its officer's
 *   check (300), who accepts (800) or refuses (100) them; {@code declaration.return-refused.v1}: the policy stops
 *   expecting the return; {@code declaration.returned.v1} (accepted on the check): the policy settles the returned
 *   lines and the agency answers with a return receipt (905) — once per return;</li>
 *   <li>an outcome that arrives before its declaration (a cancellation, or the window's rejection after
 *   another agency refused) is remembered, and the declaration is closed on arrival, reserving nothing.</li>
 * </ul>
 * One declaration's events are handled one at a time, and no two batches deadlock: before a batch is
 * handled the consumer takes, in one key order, the lock of every declaration in it and of every ledger,
 * account or stock row the {@link DecisionPolicy} will lock for it ({@link #lockKeys}); the keys of a
 * declaration are kept with it, so its outcome later locks the same things.
 */
public class AgencyIntake implements MessageHandler {

    private final Agency agency;
    private final DecisionPolicy policy;
    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final MeterRegistry meters;
    private final DecisionProperties settings;
    private final Locks locks;
    private final SentReceipts sentReceipts;
    /** What {@link #prepare} read for the batch of the current transaction. */
    private final TransactionScoped<Prepared> batch = new TransactionScoped<>(Prepared::new);

    public AgencyIntake(Agency agency, DecisionPolicy policy, JdbcClient jdbc, Outbox outbox, MeterRegistry meters,
                        DecisionProperties settings, Locks locks, JdbcTemplate jdbcTemplate) {
        this.locks = locks;
        this.sentReceipts = new SentReceipts(jdbcTemplate);
        this.agency = agency;
        this.policy = policy;
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.meters = meters;
        this.settings = settings;
    }

    public Agency agency() {
        return agency;
    }

    /**
     * The declaration of each message, what the policy will lock to decide a submitted one, and for an
     * outcome what was locked when its declaration was decided (the keys are kept with it).
     */
    @Override
    public Collection<String> lockKeys(List<IncomingMessage> messages) {
        Set<String> keys = new HashSet<>();
        List<UUID> outcomes = new ArrayList<>();
        for (IncomingMessage message : messages) {
            if (message.declarationId() != null) {
                keys.add(Locks.declaration(message.declarationId()));
            }
            boolean submitted = Topology.DECLARATION_SUBMITTED.equals(message.type());
            if (submitted || Topology.DECLARATION_AMENDED.equals(message.type())) {
                keys.addAll(policyKeys(message.read(DeclarationSubmitted.class)));
            }
            if (!submitted && message.declarationId() != null) {
                // an outcome (or an amendment) locks what the declaration's earlier decision locked
                outcomes.add(message.declarationId());
            }
        }
        if (!outcomes.isEmpty()) {
            keys.addAll(jdbc.sql("""
                            select distinct unnest(lock_keys) from received_declaration
                            where declaration_id = any(?) and lock_keys is not null""")
                    .param(outcomes.toArray(UUID[]::new)).query(String.class).list());
        }
        return keys;
    }

    /** A case as an outcome needs it. */
    private record Case(String status, OffsetDateTime settledAt, int version) {
    }

    /**
     * What a batch needs, read with one statement each after its locks: the early outcomes waiting for
     * its submitted declarations (claimed), and the cases its outcomes settle (row-locked). A declaration
     * a message of the batch has handled already is read again directly (its row may have changed).
     */
    private static final class Prepared {
        final Map<UUID, String> early = new HashMap<>();
        final Map<UUID, Case> cases = new HashMap<>();
        final Set<UUID> submitted = new HashSet<>();
        final Set<UUID> outcomes = new HashSet<>();
        final Set<UUID> touched = new HashSet<>();
        /** The version of each declaration's case, as far as this batch knows it. */
        final Map<UUID, Integer> versions = new HashMap<>();
    }

    @Override
    public void prepare(List<IncomingMessage> messages) {
        Prepared prepared = batch.current();
        for (IncomingMessage message : messages) {
            if (message.declarationId() == null) {
                continue;
            }
            (Topology.DECLARATION_SUBMITTED.equals(message.type()) ? prepared.submitted : prepared.outcomes).add(message.declarationId());
        }
        if (!prepared.submitted.isEmpty()) {
            jdbc.sql("delete from early_conclusion where declaration_id = any(?) returning declaration_id, outcome")
                    .param(prepared.submitted.toArray(UUID[]::new))
                    .query((rs, n) -> prepared.early.put(rs.getObject(1, UUID.class), rs.getString(2))).list();
        }
        if (!prepared.outcomes.isEmpty()) {
            jdbc.sql("select declaration_id, status, settled_at, version from received_declaration where declaration_id = any(?) for update")
                    .param(prepared.outcomes.toArray(UUID[]::new))
                    .query((rs, n) -> {
                        UUID id = rs.getObject(1, UUID.class);
                        prepared.versions.put(id, rs.getInt(4));
                        return prepared.cases.put(id, new Case(rs.getString(2), rs.getObject(3, OffsetDateTime.class), rs.getInt(4)));
                    }).list();
        }
    }

    /** The batch's prepared reads, or null outside a prepared batch. */
    private Prepared prepared() {
        return batch.find();
    }

    private Collection<String> policyKeys(DeclarationSubmitted event) {
        try {
            return event.declaration() == null ? List.of() : policy.lockKeys(event);
        } catch (RuntimeException e) {
            // an incomplete declaration: the decision will say what is wrong with it
            return List.of();
        }
    }

    @Override
    public void handle(IncomingMessage message) {
        Answers answers = new Answers();
        switch (message.type()) {
            case Topology.DECLARATION_SUBMITTED, Topology.DECLARATION_AMENDED ->
                    submitted(message, message.read(DeclarationSubmitted.class), answers);
            case Topology.DECLARATION_CANCELLED -> cancelled(message.read(DeclarationCancelled.class), answers);
            case Topology.DECLARATION_CONCLUDED -> concluded(message.read(DeclarationConcluded.class), answers);
            case Topology.DECLARATION_WITHDRAWAL_REQUESTED ->
                    withdrawalRequested(message.read(DeclarationWithdrawalRequested.class), answers);
            case Topology.DECLARATION_WITHDRAWAL_APPROVED ->
                    withdrawalApproved(message.read(DeclarationWithdrawalApproved.class), answers);
            case Topology.DECLARATION_WITHDRAWN -> withdrawn(message.read(DeclarationWithdrawn.class), answers);
            case Topology.DECLARATION_RETURN_REQUESTED -> returnRequested(message.read(DeclarationReturnRequested.class), answers);
            case Topology.DECLARATION_RETURN_APPROVED -> policy.returnApproved(message.read(DeclarationReturnApproved.class));
            case Topology.DECLARATION_RETURN_ARRIVED -> returnArrived(message.read(DeclarationReturnArrived.class), answers);
            case Topology.DECLARATION_RETURN_REFUSED -> policy.returnRefused(message.read(DeclarationReturnRefused.class));
            case Topology.DECLARATION_RETURNED -> returned(message.read(DeclarationReturned.class), answers);
            default -> throw new NonRetryableMessageException("unknown message type '" + message.type() + "'");
        }
        answers.send();
    }

    /**
     * The receipts one handling produced about one declaration, sent as <b>one</b> message: the
     * acknowledgement and an immediate decision travel together (each keeps its own id, kind and time;
     * the body is then a JSON array of receipts), a deferred or held decision leaves the acknowledgement
     * alone.
     */
    private final class Answers {
        private final List<Receipt> receipts = new ArrayList<>(3);

        void add(Receipt receipt) {
            receipts.add(receipt);
        }

        void send() {
            if (receipts.isEmpty()) {
                return;
            }
            Receipt last = receipts.getLast();
            outbox.add(Topology.RECEIPTS_EXCHANGE, last.routingKey(), last.declarationId(),
                    receipts.size() == 1 ? last : List.copyOf(receipts));
        }
    }

    private void submitted(IncomingMessage message, DeclarationSubmitted event, Answers answers) {
        if (event.declarationId() == null || event.declaration() == null || event.declaration().order() == null) {
            throw new NonRetryableMessageException("declaration.submitted.v1 without declaration id or order");
        }
        var declaration = event.declaration();
        String payload = PersonalData.minimised(message.body(), policy.keptIdentity());
        String[] keys = policyKeys(event).toArray(String[]::new);
        int inserted = jdbc.sql("""
                        insert into received_declaration (declaration_id, message_id, enterprise_id, declaration_type,
                            ebp_code, order_no, payload, status, lock_keys, version)
                        values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) on conflict (declaration_id) do nothing""")
                .params(event.declarationId(), message.messageId(), event.enterpriseId(),
                        String.valueOf(declaration.declarationType()), String.valueOf(declaration.order().ebpCode()),
                        String.valueOf(declaration.order().orderNo()), payload,
                        ReceiptStatus.ACCEPTED.name(), keys, event.versionOrFirst())
                .update();
        Superseded superseded = inserted == 1 ? Superseded.NEW : supersede(message, event, payload, keys);
        if (superseded instanceof Superseded.No) {
            // the same declaration re-published under another message id, or an older version: already answered
            return;
        }
        rememberVersion(event.declarationId(), event.versionOrFirst());
        answer(answers, event.declarationId(), Receipt.Kind.ACKNOWLEDGEMENT,
                new Decision(ReceiptStatus.ACCEPTED, "RECEIVED", agency.key() + " received the declaration", null));
        if (superseded instanceof Superseded.Held held) {
            // GACC 2018 No.194 item 11: a list customs decided to inspect or review is not changed until that is
            // concluded. The window refuses such an amendment; one that crossed the hold on the way is decided by
            // the rules (which may reject it or hold it again, and reserve for it) but never released by them:
            // the hold stands and the officer decides on the amended version
            Decision fresh = policy.decide(event);
            Decision decision = fresh.status() == ReceiptStatus.REJECTED || fresh.status().isHold() ? fresh
                    : new Decision(held.status(), held.reasonCode(), "still held: the hold on version " + held.version()
                    + " stands for version " + event.versionOrFirst() + " until an officer decides", null);
            record(event.declarationId(), decision);
            answer(answers, event.declarationId(), Receipt.Kind.DECISION, decision);
            return;
        }
        Prepared prepared = prepared();
        boolean fresh = prepared != null && prepared.touched.add(event.declarationId());
        Optional<String> claimed = prepared == null ? Optional.empty() : Optional.ofNullable(prepared.early.remove(event.declarationId()));
        // one claimed with the batch came first; an outcome handled earlier in this batch may have left one since
        Optional<String> earlier = claimed.isPresent() || (fresh && prepared.submitted.contains(event.declarationId())) ? claimed
                : jdbc.sql("delete from early_conclusion where declaration_id = ? returning outcome")
                        .param(event.declarationId()).query(String.class).optional();
        if (earlier.isPresent()) {
            Outcome outcome = Outcome.valueOf(earlier.get());
            close(event.declarationId(), outcome, answers);
            settle(event.declarationId(), outcome, answers);
            return;
        }
        decide(event, answers);
    }

    /** What an amendment did to this agency's case. */
    private sealed interface Superseded {
        /** Not an amendment of an open case: a redelivery, an older version arriving late. */
        Superseded NO = new No();
        /** Not an amendment: the first this agency hears of the declaration. */
        Superseded NEW = new Started();

        record No() implements Superseded {
        }

        record Started() implements Superseded {
        }

        /** The case starts again on the new version. */
        record Again() implements Superseded {
        }

        /** The case is held for an officer and stays held, now on the new version. */
        record Held(ReceiptStatus status, String reasonCode, int version) implements Superseded {
        }
    }

    /**
     * A later version of a declaration this agency has a case for, before its outcome: the policy releases
     * what it reserved for the earlier version, and the case starts again on the new one — unless an officer
     * holds it (review, inspection): then the officer's case and its reviews stay as they are, and the rules'
     * answer on the new version may reject it or hold it again but not release it (the caller).
     */
    private Superseded supersede(IncomingMessage message, DeclarationSubmitted event, String payload, String[] keys) {
        if (!Topology.DECLARATION_AMENDED.equals(message.type())) {
            return Superseded.NO;
        }
        record Current(int version, OffsetDateTime settledAt, String status, String reasonCode) {
        }
        Optional<Current> current = jdbc.sql("""
                        select version, settled_at, status, reason_code from received_declaration
                        where declaration_id = ? for update""")
                .param(event.declarationId()).query(Current.class).optional();
        if (current.isEmpty() || current.get().version() >= event.versionOrFirst() || current.get().settledAt() != null) {
            return Superseded.NO;
        }
        policy.superseded(event.declarationId());
        ReceiptStatus status = ReceiptStatus.valueOf(current.get().status());
        meters.counter("sw.agency.amendments", "agency", agency.key()).increment();
        if (status.isHold()) {
            jdbc.sql("""
                            update received_declaration set message_id = ?, enterprise_id = ?, payload = ?::jsonb, lock_keys = ?, version = ?
                            where declaration_id = ?""")
                    .params(message.messageId(), event.enterpriseId(), payload, keys, event.versionOrFirst(), event.declarationId())
                    .update();
            return new Superseded.Held(status, current.get().reasonCode(), current.get().version());
        }
        jdbc.sql("""
                        update received_declaration set message_id = ?, enterprise_id = ?, payload = ?::jsonb, status = ?, lock_keys = ?,
                            version = ?, reason_code = null, decided_at = null, deferred_until = null, defer_count = 0, defer_reason = null
                        where declaration_id = ?""")
                .params(message.messageId(), event.enterpriseId(), payload, ReceiptStatus.ACCEPTED.name(), keys,
                        event.versionOrFirst(), event.declarationId())
                .update();
        return new Superseded.Again();
    }

    private void rememberVersion(UUID declarationId, int version) {
        Prepared prepared = prepared();
        if (prepared != null) {
            prepared.versions.put(declarationId, version);
        }
    }

    /** The version of the declaration this agency's case is about (1 if it has none yet). */
    private int versionOf(UUID declarationId) {
        Prepared prepared = prepared();
        Integer known = prepared == null ? null : prepared.versions.get(declarationId);
        if (known != null) {
            return known;
        }
        return jdbc.sql("select version from received_declaration where declaration_id = ?").param(declarationId)
                .query(Integer.class).optional().orElse(1);
    }

    /** Ask the policy and answer; a deferred decision is asked again after a growing pause. */
    private void decide(DeclarationSubmitted event, Answers answers) {
        Timer.Sample sample = Timer.start(meters);
        Decision decision = policy.decide(event);
        if (decision.isDeferred()) {
            int attempts = jdbc.sql("select defer_count from received_declaration where declaration_id = ?")
                    .param(event.declarationId()).query(Integer.class).single();
            Duration pause = settings.retryInitial().multipliedBy(1L << Math.min(attempts, 20));
            pause = pause.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : pause;
            jdbc.sql("""
                            update received_declaration set deferred_until = now() + ? * interval '1 millisecond',
                                defer_count = defer_count + 1, defer_reason = ? where declaration_id = ?""")
                    .params(pause.toMillis(), decision.reasonCode() + ": " + decision.message(), event.declarationId())
                    .update();
            meters.counter("sw.agency.decisions.deferred", "agency", agency.key(), "reason", decision.reasonCode()).increment();
            return;
        }
        sample.stop(Timer.builder("sw.agency.decision").tag("agency", agency.key()).tag("status", decision.status().word())
                .description("Time the agency's rules took to decide").register(meters));
        record(event.declarationId(), decision);
        answer(answers, event.declarationId(), Receipt.Kind.DECISION, decision);
    }

    /** Ask the policy again about a deferred declaration, if it is still deferred and due. */
    void retryDeferred(UUID declarationId) {
        Optional<String> payload = jdbc.sql(
                        "select payload::text from received_declaration where declaration_id = ? and payload is not null")
                .param(declarationId).query(String.class).optional();
        if (payload.isEmpty()) {
            return;
        }
        DeclarationSubmitted event = Json.mapper().readValue(payload.get(), DeclarationSubmitted.class);
        List<String> keys = new ArrayList<>(policyKeys(event));
        keys.add(Locks.declaration(declarationId));
        locks.lock(keys);
        boolean due = jdbc.sql("""
                        select count(*) from received_declaration
                        where declaration_id = ? and status = 'ACCEPTED' and deferred_until <= now()""")
                .param(declarationId).query(Long.class).single() == 1;
        if (due) {
            Answers answers = new Answers();
            decide(event, answers);
            answers.send();
        }
    }

    private void cancelled(DeclarationCancelled event, Answers answers) {
        if (event.declarationId() == null) {
            throw new NonRetryableMessageException("declaration.cancelled.v1 without declaration id");
        }
        outcome(event.declarationId(), Outcome.CANCELLED, answers);
    }

    private void concluded(DeclarationConcluded event, Answers answers) {
        if (event.declarationId() == null
                || event.outcome() == null || event.outcome() == Outcome.CANCELLED) {
            throw new NonRetryableMessageException("declaration.concluded.v1 needs a declaration id and outcome CLEARED or REJECTED");
        }
        outcome(event.declarationId(), event.outcome(), answers);
    }

    private void outcome(UUID declarationId, Outcome outcome, Answers answers) {
        Prepared prepared = prepared();
        boolean fresh = prepared != null && prepared.touched.add(declarationId);
        Optional<Case> current = fresh && prepared.outcomes.contains(declarationId)
                ? Optional.ofNullable(prepared.cases.get(declarationId))
                : jdbc.sql("select status, settled_at, version from received_declaration where declaration_id = ? for update")
                        .param(declarationId).query(Case.class).optional();
        if (current.isEmpty()) {
            if (outcome == Outcome.CLEARED) {
                // cleared needs this agency's own release: it cannot come first unless this agency lost its data
                throw new NonRetryableMessageException("declaration " + declarationId + " concluded CLEARED but "
                        + agency.key() + " never received it");
            }
            jdbc.sql("insert into early_conclusion (declaration_id, outcome, received_at) values (?, ?, now()) on conflict do nothing")
                    .params(declarationId, outcome.name()).update();
            return;
        }
        if (current.get().settledAt() != null) {
            return;
        }
        ReceiptStatus status = ReceiptStatus.valueOf(current.get().status());
        if (outcome == Outcome.CANCELLED ? status != ReceiptStatus.VOID : !status.isFinal()) {
            // cancelled: whatever this agency answered is void; rejected elsewhere: a hold or a deferral here ends
            close(declarationId, outcome, answers);
        }
        settle(declarationId, outcome, answers);
    }

    private void close(UUID declarationId, Outcome outcome, Answers answers) {
        Decision closed = outcome == Outcome.CANCELLED
                ? new Decision(ReceiptStatus.VOID, "CANCELLED", "closed after the enterprise cancelled", null)
                : new Decision(ReceiptStatus.VOID, "WINDOW_REJECTED",
                "closed without a decision of " + agency.key() + ": another agency rejected the declaration", null);
        record(declarationId, closed);
        answer(answers, declarationId, Receipt.Kind.DECISION, closed);
    }

    private void settle(UUID declarationId, Outcome outcome, Answers answers) {
        Settlement settlement = policy.concluded(declarationId, outcome);
        jdbc.sql("""
                        update received_declaration set outcome = ?, settled_at = now(), settlement = ?, deferred_until = null
                        where declaration_id = ?""")
                .params(outcome.name(), settlement.reasonCode(), declarationId).update();
        answer(answers, declarationId, Receipt.Kind.SETTLEMENT, new Decision(ReceiptStatus.SETTLED, settlement.reasonCode(),
                outcome.name().toLowerCase(java.util.Locale.ROOT) + ": " + settlement.message(), null));
    }

    /** A case as a withdrawal needs it. */
    private record Withdrawable(String outcome, OffsetDateTime settledAt, OffsetDateTime withdrawnAt) {
    }

    private Optional<Withdrawable> withdrawable(UUID declarationId) {
        return jdbc.sql("select outcome, settled_at, withdrawn_at from received_declaration where declaration_id = ? for update")
                .param(declarationId).query(Withdrawable.class).optional();
    }

    /**
     * A withdrawal application (CEB623): the reviewing agency (customs) keeps it for its officer and says so (300), or
     * refuses at once what it never cleared; the others wait for customs' approval or the withdrawal itself.
     */
    private void withdrawalRequested(DeclarationWithdrawalRequested event, Answers answers) {
        if (event.declarationId() == null) {
            throw new NonRetryableMessageException("declaration.withdrawal-requested.v1 without declaration id");
        }
        if (!policy.reviewsWithdrawal()) {
            return;
        }
        UUID id = event.declarationId();
        Optional<Withdrawable> current = withdrawable(id);
        if (current.isPresent() && current.get().withdrawnAt() != null) {
            return; // withdrawn already: the same application twice changes nothing
        }
        if (current.isEmpty() || !"CLEARED".equals(current.get().outcome()) || current.get().settledAt() == null) {
            answer(answers, id, Receipt.Kind.WITHDRAWAL, new Decision(ReceiptStatus.REJECTED, "NOT_CLEARED",
                    agency.key() + " has no cleared, settled declaration " + id + " to withdraw", null));
            return;
        }
        int kept = jdbc.sql("""
                        update received_declaration set withdrawal_review = 'PENDING', withdrawal_application = ?
                        where declaration_id = ? and withdrawal_review is distinct from 'PENDING'""")
                .params(event.reason(), id).update();
        if (kept == 1) {
            answer(answers, id, Receipt.Kind.WITHDRAWAL, new Decision(ReceiptStatus.MANUAL_REVIEW, "WITHDRAWAL_REVIEW",
                    "the withdrawal application (CEB623) awaits a " + agency.key() + " officer's review", null));
        }
    }

    /**
     * An officer's decision on a withdrawal application waiting for review: approved (800, and logistics then checks
     * the goods) or refused (100). Call in a transaction.
     *
     * @throws ApiException 404 for a declaration never received here, 409 when no application of it waits for review
     */
    public void reviewWithdrawal(UUID declarationId, boolean approve, String reason) {
        String review = jdbc.sql("select coalesce(withdrawal_review, '') from received_declaration where declaration_id = ? for update")
                .param(declarationId).query(String.class).optional()
                .orElseThrow(() -> ApiException.notFound("declaration " + declarationId));
        if (!review.equals("PENDING")) {
            throw ApiException.conflict("no withdrawal application of declaration " + declarationId + " waits for review"
                    + (review.isEmpty() ? "" : " (the last one was " + review.toLowerCase(java.util.Locale.ROOT) + ")"));
        }
        jdbc.sql("update received_declaration set withdrawal_review = ? where declaration_id = ?")
                .params(approve ? "APPROVED" : "REFUSED", declarationId).update();
        Answers answers = new Answers();
        answer(answers, declarationId, Receipt.Kind.WITHDRAWAL, approve
                ? new Decision(ReceiptStatus.RELEASED, "OFFICER_APPROVED", "withdrawal approved by an officer: " + reason, null)
                : new Decision(ReceiptStatus.REJECTED, "OFFICER_REFUSED", "withdrawal refused by an officer: " + reason, null));
        answers.send();
    }

    /** Customs approved a withdrawal: the arbiter (logistics) accepts it, restoring what it committed, or refuses it. */
    private void withdrawalApproved(DeclarationWithdrawalApproved event, Answers answers) {
        if (event.declarationId() == null) {
            throw new NonRetryableMessageException("declaration.withdrawal-approved.v1 without declaration id");
        }
        if (!policy.arbitratesWithdrawal()) {
            return; // logistics answers; this agency acts once the withdrawal is accepted
        }
        UUID id = event.declarationId();
        Optional<Withdrawable> current = withdrawable(id);
        if (current.isPresent() && current.get().withdrawnAt() != null) {
            return; // accepted already: the same application twice changes nothing
        }
        if (current.isEmpty() || !"CLEARED".equals(current.get().outcome()) || current.get().settledAt() == null) {
            answer(answers, id, Receipt.Kind.WITHDRAWAL, new Decision(ReceiptStatus.REJECTED, "NOT_CLEARED",
                    agency.key() + " has no cleared, settled declaration " + id + " to withdraw", null));
            return;
        }
        Optional<String> refused = policy.withdrawalRefused(id);
        if (refused.isPresent()) {
            answer(answers, id, Receipt.Kind.WITHDRAWAL, new Decision(ReceiptStatus.REJECTED, "GOODS_LEFT_ZONE",
                    "withdrawal refused: " + refused.get(), null));
            return;
        }
        withdraw(id, answers);
    }

    private void withdrawn(DeclarationWithdrawn event, Answers answers) {
        if (event.declarationId() == null) {
            throw new NonRetryableMessageException("declaration.withdrawn.v1 without declaration id");
        }
        Optional<Withdrawable> current = withdrawable(event.declarationId());
        if (current.isEmpty()) {
            throw new NonRetryableMessageException("declaration " + event.declarationId() + " withdrawn but "
                    + agency.key() + " never received it");
        }
        if (current.get().withdrawnAt() == null) {
            withdraw(event.declarationId(), answers);
        }
    }

    /** Restore what was committed, remember it, answer 903. */
    private void withdraw(UUID declarationId, Answers answers) {
        Settlement restored = policy.withdrawn(declarationId);
        if (restored == null) {
            restored = new Settlement("NOTHING_COMMITTED", agency.key() + " committed nothing for this declaration");
        }
        jdbc.sql("update received_declaration set withdrawn_at = now(), withdrawal = ? where declaration_id = ?")
                .params(restored.reasonCode(), declarationId).update();
        answer(answers, declarationId, Receipt.Kind.WITHDRAWAL,
                new Decision(ReceiptStatus.WITHDRAWN, restored.reasonCode(), "withdrawn: " + restored.message(), null));
    }

    /**
     * A return application (CEB625): the agency's policy records what it must, and the reviewing agency (customs)
     * keeps it for its officer and says so (a return receipt 300).
     */
    private void returnRequested(DeclarationReturnRequested application, Answers answers) {
        policy.returnRequested(application);
        if (!policy.reviewsReturns() || application.declarationId() == null || application.returnId() == null) {
            return;
        }
        int kept = jdbc.sql("""
                        insert into agency_return_review (return_id, declaration_id, reason, lines, requested_at, state)
                        select ?, declaration_id, ?, ?::jsonb, ?, 'PENDING' from received_declaration where declaration_id = ?
                        on conflict do nothing""")
                .params(application.returnId(), String.valueOf(application.reason()), Json.mapper().writeValueAsString(application.lines()),
                        application.requestedAt(), application.declarationId()).update();
        if (kept == 1) {
            answer(answers, application.declarationId(), Receipt.Kind.RETURN, new Decision(ReceiptStatus.MANUAL_REVIEW, "RETURN_REVIEW",
                    "the return application (CEB625) awaits a " + agency.key() + " officer's review",
                    new ReceiptPayload.ReturnRef(application.returnId())));
        }
    }

    /**
     * The goods of an approved return are back in the zone: the reviewing agency (customs) keeps them for its officer's
     * check and says so (a return receipt 300). Once per return; a return it never approved is not checked.
     */
    private void returnArrived(DeclarationReturnArrived arrived, Answers answers) {
        if (!policy.reviewsReturns() || arrived.declarationId() == null || arrived.returnId() == null) {
            return;
        }
        int kept = jdbc.sql("""
                        update agency_return_review set state = 'ARRIVED', arrived_at = ?
                        where return_id = ? and declaration_id = ? and state = 'APPROVED'""")
                .params(arrived.arrivedAt(), arrived.returnId(), arrived.declarationId()).update();
        if (kept == 1) {
            answer(answers, arrived.declarationId(), Receipt.Kind.RETURN, new Decision(ReceiptStatus.MANUAL_REVIEW, "RETURN_CHECK",
                    "the returned goods arrived in the bonded zone and await a " + agency.key() + " officer's check (original "
                            + "state, fit for resale)", new ReceiptPayload.ReturnRef(arrived.returnId())));
        }
    }

    /** What an officer decided of a return: its application, or its goods on arrival. */
    public enum ReturnStep {
        APPLICATION, ARRIVAL
    }

    /**
     * An officer's decision on a return waiting here: on its application (approved, 800: logistics may then receive the
     * goods; refused, 100) or on its goods once they arrived (accepted, 800: every agency settles the returned lines;
     * refused, 100: nothing is settled). Call in a transaction.
     *
     * @return which of the two the officer decided
     * @throws ApiException 404 for a return not received here, 409 when it waits for no decision
     */
    public ReturnStep reviewReturn(UUID declarationId, UUID returnId, boolean approve, String reason) {
        String state = jdbc.sql("select state from agency_return_review where return_id = ? and declaration_id = ? for update")
                .params(returnId, declarationId).query(String.class).optional()
                .orElseThrow(() -> ApiException.notFound("return " + returnId + " of declaration " + declarationId));
        ReceiptPayload.ReturnRef ref = new ReceiptPayload.ReturnRef(returnId);
        Decision decision;
        ReturnStep step;
        switch (state) {
            case "PENDING" -> {
                step = ReturnStep.APPLICATION;
                jdbc.sql("update agency_return_review set state = ?, decided_at = now() where return_id = ?")
                        .params(approve ? "APPROVED" : "REFUSED", returnId).update();
                decision = approve
                        ? new Decision(ReceiptStatus.RELEASED, "OFFICER_APPROVED", "return approved by an officer: " + reason, ref)
                        : new Decision(ReceiptStatus.REJECTED, "OFFICER_REFUSED", "return refused by an officer: " + reason, ref);
            }
            case "ARRIVED" -> {
                step = ReturnStep.ARRIVAL;
                jdbc.sql("update agency_return_review set state = ?, checked_at = now() where return_id = ?")
                        .params(approve ? "CHECKED" : "CHECK_FAILED", returnId).update();
                decision = approve
                        ? new Decision(ReceiptStatus.RELEASED, "CHECK_PASSED", "returned goods accepted on an officer's check: " + reason, ref)
                        : new Decision(ReceiptStatus.REJECTED, "CHECK_FAILED", "returned goods refused on an officer's check: " + reason, ref);
            }
            case "APPROVED" -> throw ApiException.conflict("return " + returnId + " waits for its goods: they are checked once "
                    + "logistics reports them back in the bonded zone");
            default -> throw ApiException.conflict("return " + returnId + " waits for no decision: it was "
                    + state.toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
        Answers answers = new Answers();
        answer(answers, declarationId, Receipt.Kind.RETURN, decision);
        answers.send();
        return step;
    }

    private void returned(DeclarationReturned event, Answers answers) {
        if (event.declarationId() == null || event.returnId() == null || event.lines() == null) {
            throw new NonRetryableMessageException("declaration.returned.v1 needs a declaration id, a return id and lines");
        }
        if (!firstSettlementOf(event.returnId(), event.declarationId())) {
            return; // settled already: the same event twice changes nothing
        }
        Settlement settled = policy.returned(event);
        if (settled == null) {
            settled = new Settlement("NOTHING_COMMITTED", agency.key() + " has nothing to settle for the returned lines");
        }
        settledReturn(event.declarationId(), event.returnId(), settled, answers);
    }

    /** Claim a return's settlement here; false if it was settled before. */
    private boolean firstSettlementOf(UUID returnId, UUID declarationId) {
        return jdbc.sql("""
                        insert into agency_return (return_id, declaration_id, settled_at, settlement) values (?, ?, now(), '')
                        on conflict do nothing""")
                .params(returnId, declarationId).update() == 1;
    }

    private void settledReturn(UUID declarationId, UUID returnId, Settlement settled, Answers answers) {
        jdbc.sql("update agency_return set settlement = ? where return_id = ?").params(settled.reasonCode(), returnId).update();
        answer(answers, declarationId, Receipt.Kind.RETURN, new Decision(ReceiptStatus.RETURNED, settled.reasonCode(),
                "return: " + settled.message(), new ReceiptPayload.ReturnRef(returnId)));
    }

    /**
     * Something this agency did or saw outside a message from the window — the goods left the bonded zone
     * (logistics, a movement receipt), a declaration's tax was paid (tax, 899 clearance complete) — sent to
     * the window as a receipt; call in the transaction that records it.
     */
    public void report(UUID declarationId, Receipt.Kind kind, Decision what) {
        Answers answers = new Answers();
        answer(answers, declarationId, kind, what);
        answers.send();
    }

    /** An officer's decision on a held declaration (back-office seam): records and answers it. */
    public void decideByOfficer(UUID declarationId, Decision decision) {
        record(declarationId, decision);
        Answers answers = new Answers();
        answer(answers, declarationId, Receipt.Kind.DECISION, decision);
        answers.send();
    }

    private void record(UUID declarationId, Decision decision) {
        jdbc.sql("""
                        update received_declaration set status = ?, reason_code = ?, decided_at = now(), deferred_until = null
                        where declaration_id = ?""")
                .params(decision.status().name(), decision.reasonCode(), declarationId)
                .update();
    }

    /** Keep the receipt and add it to what this handling answers (the window validates every receipt against receipt-v1). */
    private void answer(Answers answers, UUID declarationId, Receipt.Kind kind, Decision decision) {
        Receipt receipt = new Receipt(UUID.randomUUID(), declarationId, agency, kind, decision.status(),
                decision.reasonCode(), decision.message(), OffsetDateTime.now(ZoneOffset.UTC), decision.payload(), versionOf(declarationId));
        sentReceipts.add(receipt);
        answers.add(receipt);
        meters.counter("sw.receipts.sent", "agency", agency.key(), "status", String.valueOf(decision.status().code())).increment();
    }
}

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
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.DeclarationWithdrawalApproved;
import org.singlewindow.contract.DeclarationWithdrawalRequested;
import org.singlewindow.contract.DeclarationWithdrawn;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Outcome;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.Topology;
import org.singlewindow.kit.messaging.IncomingMessage;
import org.singlewindow.kit.messaging.Locks;
import org.singlewindow.kit.messaging.MessageHandler;
import org.singlewindow.kit.messaging.NonRetryableMessageException;
import org.singlewindow.kit.messaging.TransactionScoped;
import org.singlewindow.kit.privacy.PersonalData;

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
 * An agency's intake of the window's declaration events: a dispatch table, one handler per message kind, each in the
 * consumer's transaction so that a redelivery changes nothing, each answering with one {@link AgencyAnswers.Batch}:
 * <ul>
 *   <li>{@code declaration.submitted.v1}: open the case, acknowledge at once (120), ask the {@link DecisionPolicy}
 *   and answer with its decision — or, if it defers, ask again later ({@link DeferredDecisions});</li>
 *   <li>{@code declaration.amended.v1} (a later version, before the outcome): the policy releases what it reserved for
 *   the earlier version ({@link DecisionPolicy#superseded}) and the case starts again on the new one — a held case
 *   stays held for its officer (GACC 2018 No.194 item 11); an older version arriving late changes nothing;</li>
 *   <li>{@code declaration.concluded.v1} and {@code declaration.cancelled.v1}: close what is still open here (902
 *   void), let the policy commit or release what it reserved, answer with a settlement (901) — once per declaration;
 *   an outcome that arrives before its declaration is remembered and closes the case on arrival;</li>
 *   <li>the withdrawal after release ({@link WithdrawalHandling}) and returns ({@link ReturnHandling}).</li>
 * </ul>
 * The kit calls the policy; the policy never calls back (it answers through {@link AgencyAnswers}), and only
 * {@link AgencyCases} touches the agency's tables.
 * <p>
 * One declaration's events are handled one at a time, and no two batches deadlock: before a batch is handled the
 * consumer takes, in one key order, the lock of every declaration in it and of every ledger, account or stock row
 * the policy will lock for it ({@link #lockKeys}); the keys of a declaration are kept with it, so its outcome
 * later locks the same things.
 */
public class AgencyIntake implements MessageHandler {

    /** One message kind's handler: reads the message, answers into the batch. */
    @FunctionalInterface
    interface Handler {
        void handle(IncomingMessage message, AgencyAnswers.Batch answers);
    }

    private final Agency agency;
    private final DecisionPolicy policy;
    private final AgencyCases cases;
    private final AgencyAnswers answers;
    private final MeterRegistry meters;
    private final DecisionProperties settings;
    private final Locks locks;
    private final Map<String, Handler> handlers;
    /** What {@link #prepare} read for the batch of the current transaction. */
    private final TransactionScoped<Prepared> batch = new TransactionScoped<>(Prepared::new);

    public AgencyIntake(DecisionPolicy policy, AgencyCases cases, AgencyAnswers answers, WithdrawalHandling withdrawals,
                        ReturnHandling returns, MeterRegistry meters, DecisionProperties settings, Locks locks) {
        this.agency = answers.agency();
        this.policy = policy;
        this.cases = cases;
        this.answers = answers;
        this.meters = meters;
        this.settings = settings;
        this.locks = locks;
        this.handlers = Map.ofEntries(
                Map.entry(Topology.DECLARATION_SUBMITTED, (m, a) -> submitted(m, m.read(DeclarationSubmitted.class), a)),
                Map.entry(Topology.DECLARATION_AMENDED, (m, a) -> submitted(m, m.read(DeclarationSubmitted.class), a)),
                Map.entry(Topology.DECLARATION_CANCELLED, (m, a) -> cancelled(m.read(DeclarationCancelled.class), a)),
                Map.entry(Topology.DECLARATION_CONCLUDED, (m, a) -> concluded(m.read(DeclarationConcluded.class), a)),
                Map.entry(Topology.DECLARATION_WITHDRAWAL_REQUESTED,
                        (m, a) -> withdrawals.requested(m.read(DeclarationWithdrawalRequested.class), a)),
                Map.entry(Topology.DECLARATION_WITHDRAWAL_APPROVED,
                        (m, a) -> withdrawals.approved(m.read(DeclarationWithdrawalApproved.class), a)),
                Map.entry(Topology.DECLARATION_WITHDRAWN, (m, a) -> withdrawals.withdrawn(m.read(DeclarationWithdrawn.class), a)),
                Map.entry(Topology.DECLARATION_RETURN_REQUESTED, (m, a) -> returns.requested(m.read(DeclarationReturnRequested.class), a)),
                Map.entry(Topology.DECLARATION_RETURN_APPROVED, (m, a) -> returns.approved(m.read(DeclarationReturnApproved.class))),
                Map.entry(Topology.DECLARATION_RETURN_ARRIVED, (m, a) -> returns.arrived(m.read(DeclarationReturnArrived.class), a)),
                Map.entry(Topology.DECLARATION_RETURN_REFUSED, (m, a) -> returns.refused(m.read(DeclarationReturnRefused.class))),
                Map.entry(Topology.DECLARATION_RETURNED, (m, a) -> returns.returned(m.read(DeclarationReturned.class), a)));
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
            keys.addAll(cases.lockKeysOf(outcomes));
        }
        return keys;
    }

    /**
     * What a batch needs, read with one statement each after its locks: the early outcomes waiting for
     * its submitted declarations (claimed), and the cases its outcomes settle (row-locked). A declaration
     * a message of the batch has handled already is read again directly (its row may have changed).
     */
    private static final class Prepared {
        Map<UUID, Outcome> early = new HashMap<>();
        Map<UUID, AgencyCases.Outcomed> cases = new HashMap<>();
        final Set<UUID> submitted = new HashSet<>();
        final Set<UUID> outcomes = new HashSet<>();
        final Set<UUID> touched = new HashSet<>();
    }

    @Override
    public void prepare(List<IncomingMessage> messages) {
        Prepared prepared = batch.current();
        cases.startBatch();
        for (IncomingMessage message : messages) {
            if (message.declarationId() == null) {
                continue;
            }
            (Topology.DECLARATION_SUBMITTED.equals(message.type()) ? prepared.submitted : prepared.outcomes).add(message.declarationId());
        }
        if (!prepared.submitted.isEmpty()) {
            prepared.early = new HashMap<>(cases.claimEarly(prepared.submitted));
        }
        if (!prepared.outcomes.isEmpty()) {
            prepared.cases = cases.lockedForOutcomes(prepared.outcomes);
        }
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
        Handler handler = handlers.get(message.type());
        if (handler == null) {
            throw new NonRetryableMessageException("unknown message type '" + message.type() + "'");
        }
        AgencyAnswers.Batch answered = answers.batch();
        handler.handle(message, answered);
        answered.send();
    }

    private void submitted(IncomingMessage message, DeclarationSubmitted event, AgencyAnswers.Batch answered) {
        if (event.declarationId() == null || event.declaration() == null || event.declaration().order() == null) {
            throw new NonRetryableMessageException("declaration.submitted.v1 without declaration id or order");
        }
        var declaration = event.declaration();
        AgencyCases.Received received = new AgencyCases.Received(event.declarationId(), message.messageId(), event.enterpriseId(),
                String.valueOf(declaration.declarationType()), String.valueOf(declaration.order().ebpCode()),
                String.valueOf(declaration.order().orderNo()), PersonalData.minimised(message.body(), policy.keptIdentity()),
                policyKeys(event).toArray(String[]::new), event.versionOrFirst());
        Optional<AgencyCases.Current> held = Optional.empty();
        if (!cases.open(received)) {
            Optional<AgencyCases.Current> current = Topology.DECLARATION_AMENDED.equals(message.type())
                    ? cases.lockedForAmendment(event.declarationId()) : Optional.empty();
            if (current.isEmpty() || current.get().version() >= event.versionOrFirst() || current.get().settledAt() != null) {
                // the same declaration re-published under another message id, or an older version: already answered
                return;
            }
            policy.superseded(event.declarationId());
            meters.counter("sw.agency.amendments", "agency", agency.key()).increment();
            boolean isHeld = current.get().status().isHold();
            cases.amend(received, isHeld);
            held = isHeld ? current : Optional.empty();
        }
        answered.add(event.declarationId(), Receipt.Kind.ACKNOWLEDGEMENT,
                new Decision(ReceiptStatus.ACCEPTED, "RECEIVED", agency.key() + " received the declaration", null));
        if (held.isPresent()) {
            // GACC 2018 No.194 item 11: a list customs decided to inspect or review is not changed until that is
            // concluded. The window refuses such an amendment; one that crossed the hold on the way is decided by
            // the rules (which may reject it or hold it again, and reserve for it) but never released by them:
            // the hold stands and the officer decides on the amended version
            Decision fresh = policy.decide(event);
            Decision decision = fresh.status() == ReceiptStatus.REJECTED || fresh.status().isHold() ? fresh
                    : new Decision(held.get().status(), held.get().reasonCode(), "still held: the hold on version "
                    + held.get().version() + " stands for version " + event.versionOrFirst() + " until an officer decides", null);
            cases.record(event.declarationId(), decision);
            answered.add(event.declarationId(), Receipt.Kind.DECISION, decision);
            return;
        }
        Prepared prepared = batch.find();
        boolean fresh = prepared != null && prepared.touched.add(event.declarationId());
        Outcome claimed = prepared == null ? null : prepared.early.remove(event.declarationId());
        // one claimed with the batch came first; an outcome handled earlier in this batch may have left one since
        Outcome earlier = claimed != null || (fresh && prepared.submitted.contains(event.declarationId())) ? claimed
                : cases.claimEarly(List.of(event.declarationId())).get(event.declarationId());
        if (earlier != null) {
            close(event.declarationId(), earlier, answered);
            settle(event.declarationId(), earlier, answered);
            return;
        }
        decide(event, answered);
    }

    /** Ask the policy and answer; a deferred decision is asked again after a growing pause. */
    private void decide(DeclarationSubmitted event, AgencyAnswers.Batch answered) {
        Timer.Sample sample = Timer.start(meters);
        Decision decision = policy.decide(event);
        if (decision.isDeferred()) {
            cases.defer(event.declarationId(), settings.retryInitial(), settings.retryMax(),
                    decision.reasonCode() + ": " + decision.message());
            meters.counter("sw.agency.decisions.deferred", "agency", agency.key(), "reason", decision.reasonCode()).increment();
            return;
        }
        sample.stop(Timer.builder("sw.agency.decision").tag("agency", agency.key()).tag("status", decision.status().word())
                .description("Time the agency's rules took to decide").register(meters));
        cases.record(event.declarationId(), decision);
        answered.add(event.declarationId(), Receipt.Kind.DECISION, decision);
    }

    /** Ask the policy again about a deferred declaration, if it is still deferred and due. */
    void retryDeferred(UUID declarationId) {
        Optional<String> payload = cases.payload(declarationId);
        if (payload.isEmpty()) {
            return;
        }
        DeclarationSubmitted event = Json.mapper().readValue(payload.get(), DeclarationSubmitted.class);
        List<String> keys = new ArrayList<>(policyKeys(event));
        keys.add(Locks.declaration(declarationId));
        locks.lock(keys);
        if (cases.deferredAndDue(declarationId)) {
            AgencyAnswers.Batch answered = answers.batch();
            decide(event, answered);
            answered.send();
        }
    }

    private void cancelled(DeclarationCancelled event, AgencyAnswers.Batch answered) {
        if (event.declarationId() == null) {
            throw new NonRetryableMessageException("declaration.cancelled.v1 without declaration id");
        }
        outcome(event.declarationId(), Outcome.CANCELLED, answered);
    }

    private void concluded(DeclarationConcluded event, AgencyAnswers.Batch answered) {
        if (event.declarationId() == null
                || event.outcome() == null || event.outcome() == Outcome.CANCELLED) {
            throw new NonRetryableMessageException("declaration.concluded.v1 needs a declaration id and outcome CLEARED or REJECTED");
        }
        outcome(event.declarationId(), event.outcome(), answered);
    }

    private void outcome(UUID declarationId, Outcome outcome, AgencyAnswers.Batch answered) {
        Prepared prepared = batch.find();
        boolean fresh = prepared != null && prepared.touched.add(declarationId);
        Optional<AgencyCases.Outcomed> current = fresh && prepared.outcomes.contains(declarationId)
                ? Optional.ofNullable(prepared.cases.get(declarationId))
                : cases.lockedForOutcome(declarationId);
        if (current.isEmpty()) {
            if (outcome == Outcome.CLEARED) {
                // cleared needs this agency's own release: it cannot come first unless this agency lost its data
                throw new NonRetryableMessageException("declaration " + declarationId + " concluded CLEARED but "
                        + agency.key() + " never received it");
            }
            cases.rememberEarly(declarationId, outcome);
            return;
        }
        if (current.get().settledAt() != null) {
            return;
        }
        ReceiptStatus status = current.get().status();
        if (outcome == Outcome.CANCELLED ? status != ReceiptStatus.VOID : !status.isFinal()) {
            // cancelled: whatever this agency answered is void; rejected elsewhere: a hold or a deferral here ends
            close(declarationId, outcome, answered);
        }
        settle(declarationId, outcome, answered);
    }

    private void close(UUID declarationId, Outcome outcome, AgencyAnswers.Batch answered) {
        Decision closed = outcome == Outcome.CANCELLED
                ? new Decision(ReceiptStatus.VOID, "CANCELLED", "closed after the enterprise cancelled", null)
                : new Decision(ReceiptStatus.VOID, "WINDOW_REJECTED",
                "closed without a decision of " + agency.key() + ": another agency rejected the declaration", null);
        cases.record(declarationId, closed);
        answered.add(declarationId, Receipt.Kind.DECISION, closed);
    }

    private void settle(UUID declarationId, Outcome outcome, AgencyAnswers.Batch answered) {
        Settlement settlement = policy.concluded(declarationId, outcome);
        cases.settled(declarationId, outcome, settlement);
        answered.add(declarationId, Receipt.Kind.SETTLEMENT, new Decision(ReceiptStatus.SETTLED, settlement.reasonCode(),
                outcome.name().toLowerCase(java.util.Locale.ROOT) + ": " + settlement.message(), null));
    }
}

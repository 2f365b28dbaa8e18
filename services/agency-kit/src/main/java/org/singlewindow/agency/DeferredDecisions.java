package org.singlewindow.agency;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.ReceiptStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.singlewindow.kit.PeriodicWork;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows up what waits: asks the policy again about deferred decisions when they are due (each in its
 * own transaction, under the declaration's lock, so several instances never decide one twice), rejects
 * holds that no officer decided within {@code sw.decision.hold-expires-after}, and keeps the gauges an
 * administrator watches — declarations deferred, held, and held past
 * {@code sw.decision.hold-overdue-after}.
 */
public class DeferredDecisions extends PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(DeferredDecisions.class);

    private final AgencyIntake intake;
    private final AgencyCases cases;
    private final AgencyAnswers answers;
    private final TransactionTemplate tx;
    private final DecisionProperties settings;
    private final AtomicLong deferred = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicLong oldestHoldSeconds = new AtomicLong();

    public DeferredDecisions(AgencyIntake intake, AgencyCases cases, AgencyAnswers answers, TransactionTemplate tx,
                             DecisionProperties settings, MeterRegistry meters) {
        this.intake = intake;
        this.cases = cases;
        this.answers = answers;
        this.tx = tx;
        this.settings = settings;
        String agency = intake.agency().key();
        Gauge.builder("sw.agency.deferred", deferred, AtomicLong::get).tag("agency", agency)
                .description("Declarations whose decision waits for something outside the platform").register(meters);
        Gauge.builder("sw.agency.holds", held, AtomicLong::get).tag("agency", agency)
                .description("Declarations held for an officer (manual review, inspection)").register(meters);
        Gauge.builder("sw.agency.holds.overdue", overdue, AtomicLong::get).tag("agency", agency)
                .description("Holds older than sw.decision.hold-overdue-after").register(meters);
        Gauge.builder("sw.agency.holds.oldest", oldestHoldSeconds, AtomicLong::get).tag("agency", agency).baseUnit("seconds")
                .description("Age of the oldest hold").register(meters);
        every(settings.retryPoll(), settings.retryPoll(), "retrying deferred decisions", this::retryDue);
        every(settings.watchInterval(), java.time.Duration.ZERO, "watching holds", this::watch);
        if (!settings.holdExpiresAfter().isZero() && !settings.holdExpiresAfter().isNegative()) {
            every(settings.watchInterval(), settings.watchInterval(), "expiring holds", this::expireHolds);
        }
    }

    /**
     * Reject every hold older than {@code sw.decision.hold-expires-after} that no officer decided: the
     * window concludes the declaration rejected and every agency releases what it reserved. Each in its
     * own transaction, under the case's row lock (as an officer's review), recorded as a review by the
     * system; returns how many expired.
     */
    public int expireHolds() {
        List<UUID> expired = cases.heldLongerThan(settings.holdExpiresAfter(), 200);
        int count = 0;
        for (UUID id : expired) {
            Boolean done = tx.execute(status -> {
                if (!cases.lockedStatus(id).orElseThrow().isHold()) {
                    return false; // an officer decided meanwhile
                }
                String reason = "held for review longer than " + settings.holdExpiresAfter() + " without an officer's decision";
                cases.audit(id, "system: hold expired", "REJECT", reason);
                answers.decideByOfficer(id, new Decision(ReceiptStatus.REJECTED, "HOLD_EXPIRED",
                        "rejected: " + reason + "; what it reserved is released", null));
                return true;
            });
            if (Boolean.TRUE.equals(done)) {
                count++;
                log.info("hold of declaration {} expired: rejected", id);
            }
        }
        return count;
    }

    /**
     * What these deferred declarations waited for has come (a direct import's goods arrived): make them due now, so
     * that the next round asks the policy again ({@code sw.decision.retry-poll}) instead of after their pause. Call in
     * the transaction that recorded it; returns how many were deferred.
     */
    public int dueNow(java.util.Collection<UUID> declarationIds) {
        if (declarationIds.isEmpty()) {
            return 0;
        }
        return cases.dueNow(declarationIds);
    }

    /** Decide every deferred declaration that is due; returns how many were asked again. */
    public int retryDue() {
        List<UUID> due = cases.due(200);
        for (UUID id : due) {
            try {
                tx.executeWithoutResult(status -> intake.retryDeferred(id));
            } catch (RuntimeException e) {
                // one declaration that fails must not hold up the others: it comes back after the longest pause
                log.error("deciding deferred declaration {} failed, trying it again in {}: {}", id, settings.retryMax(), e.toString());
                cases.postpone(id, settings.retryMax());
            }
        }
        return due.size();
    }

    void watch() {
        AgencyCases.Counts c = cases.counts(settings.holdOverdueAfter());
        deferred.set(c.deferred());
        held.set(c.held());
        overdue.set(c.overdue());
        oldestHoldSeconds.set(c.oldest() == null ? 0 : c.oldest().longValue());
    }
}

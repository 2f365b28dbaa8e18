package org.singlewindow.kit.agency;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.singlewindow.kit.PeriodicWork;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows up what waits: asks the policy again about deferred decisions when they are due (each in its
 * own transaction, under the declaration's lock, so several instances never decide one twice), and
 * keeps the gauges an administrator watches — declarations deferred, held, and held past
 * {@code sw.decision.hold-overdue-after}.
 */
public class DeferredDecisions extends PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(DeferredDecisions.class);

    private final AgencyIntake intake;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final DecisionProperties settings;
    private final AtomicLong deferred = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicLong oldestHoldSeconds = new AtomicLong();

    public DeferredDecisions(AgencyIntake intake, JdbcClient jdbc, TransactionTemplate tx, DecisionProperties settings,
                             MeterRegistry meters) {
        super("deferred-decisions");
        this.intake = intake;
        this.jdbc = jdbc;
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
    }

    /** Decide every deferred declaration that is due; returns how many were asked again. */
    public int retryDue() {
        List<UUID> due = jdbc.sql("""
                        select declaration_id from received_declaration where deferred_until <= now()
                        order by deferred_until limit 200""")
                .query(UUID.class).list();
        for (UUID id : due) {
            try {
                tx.executeWithoutResult(status -> intake.retryDeferred(id));
            } catch (RuntimeException e) {
                // one declaration that fails must not hold up the others: it comes back after the longest pause
                log.error("deciding deferred declaration {} failed, trying it again in {}: {}", id, settings.retryMax(), e.toString());
                jdbc.sql("update received_declaration set deferred_until = now() + ? * interval '1 millisecond' where declaration_id = ?")
                        .params(settings.retryMax().toMillis(), id).update();
            }
        }
        return due.size();
    }

    void watch() {
        record Counts(long deferred, long held, long overdue, Double oldest) {
        }
        Counts c = jdbc.sql("""
                        select count(*) filter (where deferred_until is not null) as deferred,
                               count(*) filter (where status in ('MANUAL_REVIEW', 'INSPECTION')) as held,
                               count(*) filter (where status in ('MANUAL_REVIEW', 'INSPECTION')
                                                and received_at < now() - ? * interval '1 second') as overdue,
                               extract(epoch from now() - min(received_at) filter (where status in ('MANUAL_REVIEW', 'INSPECTION')))::float8 as oldest
                        from received_declaration where status in ('ACCEPTED', 'MANUAL_REVIEW', 'INSPECTION')""")
                .param(settings.holdOverdueAfter().toSeconds())
                .query(Counts.class).single();
        deferred.set(c.deferred());
        held.set(c.held());
        overdue.set(c.overdue());
        oldestHoldSeconds.set(c.oldest() == null ? 0 : c.oldest().longValue());
    }
}

package org.singlewindow.tax.ledger;

import org.singlewindow.kit.Deployment;
import org.singlewindow.kit.privacy.LedgerKeys;
import org.singlewindow.kit.privacy.PersonKey;
import org.springframework.beans.factory.annotation.Value;
import org.singlewindow.tax.TaxProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Each consumer's yearly total in the channel (CNY 26,000). Consumers are known by a keyed hash of
 * their ID number. A reservation locks the consumer's row for the year ({@code select ... for update}),
 * so concurrent declarations of one consumer are serialized: none overshoots the limit and none is
 * counted twice (one entry per declaration, primary key). Must run inside the caller's transaction.
 */
@Component
public class ConsumerLedger {

    private static final LedgerKeys ROTATION = new LedgerKeys("consumer_year", "consumer_key", "used", "ledger_entry");

    private final JdbcClient jdbc;
    private final PersonKey key;
    private final BigDecimal limit;

    public ConsumerLedger(JdbcClient jdbc, TaxProperties properties, @Value("${sw.env}") String env) {
        this.jdbc = jdbc;
        // no built-in key outside the sandbox: with a known key the hashes of ID numbers could be reversed
        this.key = new PersonKey(Deployment.secret(properties.ledgerKey(), env, "SW_TAX_LEDGERKEY", "sandbox-tax-ledger-key"),
                properties.ledgerKeyPrevious(), "sw.tax.ledger-key");
        this.limit = properties.annualLimit();
    }

    public BigDecimal limit() {
        return limit;
    }

    /** The ledger's key of a consumer: HMAC-SHA256 of the ID number, hex. */
    public String consumerKey(String idNumber) {
        return key.of(idNumber);
    }

    /**
     * A line of the ledger with the declaration it counts, as the tax service received it: {@code state}
     * RESERVED while the declaration is decided, COMMITTED once cleared, RELEASED when rejected, cancelled or
     * withdrawn (then it no longer counts).
     */
    public record Entry(UUID declarationId, String orderNo, String ebpCode, BigDecimal amount, String state,
                        OffsetDateTime countedAt, OffsetDateTime settledAt) {
        /** The same, naming its order (read from the agency's cases: the ledger keeps no copy). */
        public Entry of(String ebpCode, String orderNo) {
            return new Entry(declarationId, orderNo, ebpCode, amount, state, countedAt, settledAt);
        }
    }

    /** A consumer's year: the total counted and its lines, newest first. */
    public record ConsumerYear(BigDecimal used, List<Entry> entries) {
    }

    /**
     * A consumer's year as it stands, read only: under the key in force and, during a key rotation, the
     * previous one (rows move to the new key only when the consumer next buys).
     */
    public ConsumerYear yearOf(String idNumber, int year) {
        List<String> keys = new ArrayList<>();
        keys.add(key.of(idNumber));
        key.previousOf(idNumber).ifPresent(keys::add);
        BigDecimal used = jdbc.sql("select coalesce(sum(used), 0) from consumer_year where consumer_key in (:keys) and year = :year")
                .param("keys", keys).param("year", year).query(BigDecimal.class).single();
        List<Entry> entries = jdbc.sql("""
                        select e.declaration_id, null as order_no, null as ebp_code, e.amount, e.state, e.reserved_at as counted_at,
                               e.settled_at
                        from ledger_entry e
                        where e.consumer_key in (:keys) and e.year = :year
                        order by e.reserved_at desc limit 500""")
                .param("keys", keys).param("year", year).query(Entry.class).list();
        return new ConsumerYear(used, entries);
    }

    /** During a key rotation: the consumer's rows under the previous key move to the key in force. */
    public void adopt(String idNumber) {
        ROTATION.adopt(jdbc, key, idNumber);
    }

    /** The consumer's year, locked until the transaction ends; created at 0 if new. */
    public BigDecimal lockYear(String consumerKey, int year) {
        jdbc.sql("insert into consumer_year (consumer_key, year, used) values (?, ?, 0) on conflict do nothing")
                .params(consumerKey, year).update();
        return jdbc.sql("select used from consumer_year where consumer_key = ? and year = ? for update")
                .params(consumerKey, year).query(BigDecimal.class).single();
    }

    /** Lock the year a declaration was counted in (before releasing it). */
    public void lockYearOf(UUID declarationId) {
        jdbc.sql("""
                        select y.used from consumer_year y join ledger_entry e on e.consumer_key = y.consumer_key and e.year = y.year
                        where e.declaration_id = ? for update of y""")
                .param(declarationId).query(BigDecimal.class).optional();
    }

    /** Count a declaration of {@code filer} toward the year (the row must be locked by {@link #lockYear}). */
    public void reserve(UUID declarationId, String consumerKey, int year, BigDecimal amount, String filer, OffsetDateTime at) {
        jdbc.sql("""
                        insert into ledger_entry (declaration_id, consumer_key, year, amount, state, reserved_at, filer)
                        values (?, ?, ?, ?, 'RESERVED', ?, ?)""")
                .params(declarationId, consumerKey, year, amount, at, filer).update();
        jdbc.sql("update consumer_year set used = used + ? where consumer_key = ? and year = ?")
                .params(amount, consumerKey, year).update();
    }

    /**
     * Clearance: the reservation stays counted for good. A reservation that yielded ({@link #yieldable}) while
     * its declaration was cleared at the same moment is counted again: what cleared always counts.
     */
    public boolean commit(UUID declarationId, OffsetDateTime at) {
        if (jdbc.sql("update ledger_entry set state = 'COMMITTED', settled_at = ? where declaration_id = ? and state = 'RESERVED'")
                .params(at, declarationId).update() == 1) {
            return true;
        }
        lockYearOf(declarationId);
        record Entry(String consumerKey, int year, BigDecimal amount) {
        }
        return jdbc.sql("""
                        update ledger_entry set state = 'COMMITTED', settled_at = ? where declaration_id = ? and state = 'RELEASED'
                        and yielded returning consumer_key, year, amount""")
                .params(at, declarationId).query(Entry.class).optional()
                .map(e -> jdbc.sql("update consumer_year set used = used + ? where consumer_key = ? and year = ?")
                        .params(e.amount(), e.consumerKey(), e.year()).update() == 1)
                .orElse(false);
    }

    /** Whether any purchase of the consumer that {@code filer} filed has cleared: the consumer buys through it. */
    public boolean boughtThrough(String consumerKey, String filer) {
        return jdbc.sql("select exists(select 1 from ledger_entry where consumer_key = ? and filer = ? and state = 'COMMITTED')")
                .params(consumerKey, filer).query(Boolean.class).single();
    }

    /**
     * The year as a filer the consumer has not bought from is measured against: its own purchases and the
     * reservations of others the consumer has not bought from either, as they are; what the consumer bought
     * through anyone else (cleared, or held by a filer they buy through) rounded up to a multiple of
     * {@code step}. Never less than the year's true count, so the limit holds; and whatever amounts the filer
     * tries, its answers tell at most which step that count is in. The year must be locked.
     */
    public BigDecimal countedFor(String consumerKey, int year, String filer, BigDecimal step) {
        record Split(BigDecimal bought, BigDecimal rest) {
        }
        Split split = jdbc.sql("""
                        with proven as (select distinct filer from ledger_entry
                                        where consumer_key = :consumer and state = 'COMMITTED' and filer is not null)
                        select coalesce(sum(amount) filter (where filer is distinct from :filer
                                   and (state = 'COMMITTED' or coalesce(filer in (select filer from proven), false))), 0) as bought,
                               coalesce(sum(amount) filter (where filer is not distinct from :filer
                                   or (state = 'RESERVED' and not coalesce(filer in (select filer from proven), false))), 0) as rest
                        from ledger_entry
                        where consumer_key = :consumer and year = :year and state in ('RESERVED', 'COMMITTED')""")
                .param("consumer", consumerKey).param("year", year).param("filer", filer).query(Split.class).single();
        BigDecimal steps = split.bought().divide(step, 0, java.math.RoundingMode.CEILING);
        return steps.multiply(step).add(split.rest());
    }

    /** A reservation that may give way to another purchase of the consumer. */
    public record Yieldable(UUID declarationId, BigDecimal amount) {
    }

    /**
     * The consumer's reservations that do not keep the quota from another purchase: those of filers the
     * consumer has never bought from (none of their purchases it filed ever cleared), other than
     * {@code filer}'s own, that have waited since before {@code waitedSince} — oldest first. The year must be
     * locked.
     */
    public List<Yieldable> yieldable(String consumerKey, int year, String filer, OffsetDateTime waitedSince) {
        return jdbc.sql("""
                        select declaration_id, amount from ledger_entry e
                        where consumer_key = ? and year = ? and state = 'RESERVED' and reserved_at < ?
                          and filer is distinct from ?
                          and not exists (select 1 from ledger_entry c where c.consumer_key = e.consumer_key
                                          and c.state = 'COMMITTED' and c.filer = e.filer)
                        order by reserved_at""")
                .params(consumerKey, year, waitedSince, filer).query(Yieldable.class).list();
    }

    /** A reservation gives way: it no longer counts toward the year (the row must be locked). */
    public boolean yieldQuota(UUID declarationId, OffsetDateTime at) {
        if (!uncount(declarationId, "RESERVED", at)) {
            return false;
        }
        jdbc.sql("update ledger_entry set yielded = true where declaration_id = ?").param(declarationId).update();
        return true;
    }

    /** Rejection or cancellation: the amount no longer counts toward the year. */
    public boolean release(UUID declarationId, OffsetDateTime at) {
        return uncount(declarationId, "RESERVED", at);
    }

    /** Withdrawal after release: the committed amount no longer counts toward the year. */
    public boolean withdraw(UUID declarationId, OffsetDateTime at) {
        return uncount(declarationId, "COMMITTED", at);
    }

    /** Returned lines: their value no longer counts toward the year (the declaration's entry keeps the rest). */
    public void returned(UUID declarationId, BigDecimal amount) {
        record Entry(String consumerKey, int year) {
        }
        jdbc.sql("""
                        update ledger_entry set amount = amount - ? where declaration_id = ? and state = 'COMMITTED'
                        returning consumer_key, year""")
                .params(amount, declarationId).query(Entry.class).optional()
                .ifPresent(e -> jdbc.sql("update consumer_year set used = used - ? where consumer_key = ? and year = ?")
                        .params(amount, e.consumerKey(), e.year()).update());
    }

    private boolean uncount(UUID declarationId, String from, OffsetDateTime at) {
        record Entry(String consumerKey, int year, BigDecimal amount) {
        }
        Optional<Entry> entry = jdbc.sql("""
                        update ledger_entry set state = 'RELEASED', settled_at = ? where declaration_id = ? and state = ?
                        returning consumer_key, year, amount""")
                .params(at, declarationId, from).query(Entry.class).optional();
        entry.ifPresent(e -> jdbc.sql("update consumer_year set used = used - ? where consumer_key = ? and year = ?")
                .params(e.amount(), e.consumerKey(), e.year()).update());
        return entry.isPresent();
    }
}

package org.singlewindow.tax.ledger;

import org.singlewindow.kit.privacy.PersonKey;
import org.singlewindow.tax.TaxProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
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

    private final JdbcClient jdbc;
    private final PersonKey key;
    private final BigDecimal limit;

    public ConsumerLedger(JdbcClient jdbc, TaxProperties properties) {
        this.jdbc = jdbc;
        this.key = new PersonKey(properties.ledgerKey(), "sw.tax.ledger-key");
        this.limit = properties.annualLimit();
    }

    public BigDecimal limit() {
        return limit;
    }

    /** The ledger's key of a consumer: HMAC-SHA256 of the ID number, hex. */
    public String consumerKey(String idNumber) {
        return key.of(idNumber);
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

    /** Count a declaration toward the year (the row must be locked by {@link #lockYear}). */
    public void reserve(UUID declarationId, String consumerKey, int year, BigDecimal amount, OffsetDateTime at) {
        jdbc.sql("""
                        insert into ledger_entry (declaration_id, consumer_key, year, amount, state, reserved_at)
                        values (?, ?, ?, ?, 'RESERVED', ?)""")
                .params(declarationId, consumerKey, year, amount, at).update();
        jdbc.sql("update consumer_year set used = used + ? where consumer_key = ? and year = ?")
                .params(amount, consumerKey, year).update();
    }

    /** Clearance: the reservation stays counted for good. */
    public boolean commit(UUID declarationId, OffsetDateTime at) {
        return jdbc.sql("update ledger_entry set state = 'COMMITTED', settled_at = ? where declaration_id = ? and state = 'RESERVED'")
                .params(at, declarationId).update() == 1;
    }

    /** Rejection or cancellation: the amount no longer counts toward the year. */
    public boolean release(UUID declarationId, OffsetDateTime at) {
        record Entry(String consumerKey, int year, BigDecimal amount) {
        }
        Optional<Entry> entry = jdbc.sql("""
                        update ledger_entry set state = 'RELEASED', settled_at = ? where declaration_id = ? and state = 'RESERVED'
                        returning consumer_key, year, amount""")
                .params(at, declarationId).query(Entry.class).optional();
        entry.ifPresent(e -> jdbc.sql("update consumer_year set used = used - ? where consumer_key = ? and year = ?")
                .params(e.amount(), e.consumerKey(), e.year()).update());
        return entry.isPresent();
    }
}

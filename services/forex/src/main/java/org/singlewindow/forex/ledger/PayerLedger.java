package org.singlewindow.forex.ledger;

import org.singlewindow.forex.ForexProperties;
import org.singlewindow.kit.Deployment;
import org.singlewindow.kit.privacy.LedgerKeys;
import org.singlewindow.kit.privacy.PersonKey;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * Each payer's yearly total in USD and the verified payment of each declaration. A reservation locks
 * the payer's row for the year ({@code select ... for update}), so concurrent payments of one person are
 * serialized: the annual cap is never overshot and no payment is counted twice (one row per
 * declaration). Must run inside the caller's transaction.
 */
@Component
public class PayerLedger {

    /** A payment verified and converted, to be counted. */
    public record Payment(UUID declarationId, String payCode, String transactionId, BigDecimal amount, String currency,
                          BigDecimal unitsPerUsd, LocalDate rateDate, BigDecimal usd, String payerKey, int year) {
    }

    private static final LedgerKeys ROTATION = new LedgerKeys("payer_year", "payer_key", "used_usd", "payment_record");

    private final JdbcClient jdbc;
    private final PersonKey key;

    public PayerLedger(JdbcClient jdbc, ForexProperties properties, @Value("${sw.env}") String env) {
        this.jdbc = jdbc;
        // no built-in key outside the sandbox: with a known key the hashes of ID numbers could be reversed
        this.key = new PersonKey(Deployment.secret(properties.ledgerKey(), env, "SW_FOREX_LEDGERKEY", "sandbox-forex-ledger-key"),
                properties.ledgerKeyPrevious(), "sw.forex.ledger-key");
    }

    public String payerKey(String idNumber) {
        return key.of(idNumber);
    }

    /** The key payers are known by (the intake keeps a deferred declaration's payer under it). */
    public PersonKey personKey() {
        return key;
    }

    /** Whether a live declaration already carries this payment transaction. */
    public boolean transactionTaken(String payCode, String transactionId) {
        return jdbc.sql("select count(*) from payment_record where pay_code = ? and pay_transaction_id = ? and state <> 'RELEASED'")
                .params(payCode, transactionId).query(Long.class).single() > 0;
    }

    /** During a key rotation: the payer's rows under the previous key move to the key in force. */
    public void adopt(String idNumber) {
        ROTATION.adopt(jdbc, key, idNumber);
    }

    /** The payer's year, locked until the transaction ends; created at 0 if new. */
    public BigDecimal lockYear(String payerKey, int year) {
        jdbc.sql("insert into payer_year (payer_key, year, used_usd) values (?, ?, 0) on conflict do nothing")
                .params(payerKey, year).update();
        return jdbc.sql("select used_usd from payer_year where payer_key = ? and year = ? for update")
                .params(payerKey, year).query(BigDecimal.class).single();
    }

    /** Count a payment toward the payer's year (the row must be locked by {@link #lockYear}). */
    public void reserve(Payment p, OffsetDateTime at) {
        jdbc.sql("""
                        insert into payment_record (declaration_id, pay_code, pay_transaction_id, amount, currency, units_per_usd,
                            rate_date, usd, payer_key, year, state, recorded_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'RESERVED', ?)""")
                .params(p.declarationId(), p.payCode(), p.transactionId(), p.amount(), p.currency(), p.unitsPerUsd(),
                        p.rateDate(), p.usd(), p.payerKey(), p.year(), at).update();
        jdbc.sql("update payer_year set used_usd = used_usd + ? where payer_key = ? and year = ?")
                .params(p.usd(), p.payerKey(), p.year()).update();
    }

    /** Clearance: the payment stays counted for good. Returns the USD amount, if there was a reservation. */
    public Optional<BigDecimal> commit(UUID declarationId, OffsetDateTime at) {
        return jdbc.sql("""
                        update payment_record set state = 'COMMITTED', settled_at = ? where declaration_id = ? and state = 'RESERVED'
                        returning usd""")
                .params(at, declarationId).query(BigDecimal.class).optional();
    }

    /** Rejection or cancellation: the payment no longer counts and its transaction id is free again. */
    public Optional<BigDecimal> release(UUID declarationId, OffsetDateTime at) {
        return uncount(declarationId, "RESERVED", at);
    }

    /** An earlier version of an amended declaration: its payment no longer counts and is forgotten (a new version records it again). */
    public void forget(UUID declarationId, OffsetDateTime at) {
        release(declarationId, at);
        jdbc.sql("delete from payment_record where declaration_id = ? and state = 'RELEASED'").param(declarationId).update();
    }

    /** Withdrawal after release: the committed payment no longer counts toward the payer's year. */
    public Optional<BigDecimal> withdraw(UUID declarationId, OffsetDateTime at) {
        return uncount(declarationId, "COMMITTED", at);
    }

    private Optional<BigDecimal> uncount(UUID declarationId, String from, OffsetDateTime at) {
        record Entry(String payerKey, int year, BigDecimal usd) {
        }
        // lock the payer's year first, as a reservation does: no deadlock between the two
        jdbc.sql("""
                        select y.used_usd from payer_year y join payment_record p on p.payer_key = y.payer_key and p.year = y.year
                        where p.declaration_id = ? for update of y""")
                .param(declarationId).query(BigDecimal.class).optional();
        Optional<Entry> entry = jdbc.sql("""
                        update payment_record set state = 'RELEASED', settled_at = ? where declaration_id = ? and state = ?
                        returning payer_key, year, usd""")
                .params(at, declarationId, from).query(Entry.class).optional();
        entry.ifPresent(e -> jdbc.sql("update payer_year set used_usd = used_usd - ? where payer_key = ? and year = ?")
                .params(e.usd(), e.payerKey(), e.year()).update());
        return entry.map(Entry::usd);
    }
}

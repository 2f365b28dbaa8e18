package org.singlewindow.tax.ledger;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * The enterprises' guarantee accounts: tax is reserved (held) against the balance at the decision and
 * stays held through clearance until the withholding agent pays it in the tax period; the hold is released
 * then, or on rejection, cancellation, withdrawal or return. (Debiting an unpaid statement's tax from the
 * guarantee is customs' remedy for an overdue statement; not automated here.) Every change is a movement.
 * Runs inside the caller's transaction; the account row is locked while it changes.
 */
@Component
public class GuaranteeAccounts {

    private final JdbcClient jdbc;

    public GuaranteeAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Account(String enterpriseId, BigDecimal balance, BigDecimal reserved) {
        public BigDecimal available() {
            return balance.subtract(reserved);
        }
    }

    /** The account, locked until the transaction ends. */
    public Optional<Account> lock(String enterpriseId) {
        return jdbc.sql("select enterprise_id, balance, reserved from guarantee_account where enterprise_id = ? for update")
                .param(enterpriseId).query(Account.class).optional();
    }

    public Optional<Account> find(String enterpriseId) {
        return jdbc.sql("select enterprise_id, balance, reserved from guarantee_account where enterprise_id = ?")
                .param(enterpriseId).query(Account.class).optional();
    }

    /**
     * Deposit once per idempotency key: a repeated request (same key) changes nothing and returns false.
     */
    public boolean deposit(String enterpriseId, BigDecimal amount, String byWhom, OffsetDateTime at, String idempotencyKey) {
        jdbc.sql("insert into guarantee_account (enterprise_id, balance, reserved, updated_at) values (?, 0, 0, ?) on conflict do nothing")
                .params(enterpriseId, at).update();
        lock(enterpriseId);
        int recorded = jdbc.sql("""
                        insert into guarantee_movement (enterprise_id, declaration_id, kind, amount, at, by_whom, idempotency_key)
                        values (?, null, 'DEPOSIT', ?, ?, ?, ?) on conflict (enterprise_id, idempotency_key)
                        where idempotency_key is not null do nothing""")
                .params(enterpriseId, amount, at, byWhom, idempotencyKey).update();
        if (recorded == 0) {
            return false;
        }
        jdbc.sql("update guarantee_account set balance = balance + ?, updated_at = ? where enterprise_id = ?")
                .params(amount, at, enterpriseId).update();
        return true;
    }

    /** Open an account with a balance if the enterprise has none (the sandbox's demo enterprises). */
    public void open(String enterpriseId, BigDecimal balance, OffsetDateTime at) {
        int created = jdbc.sql("insert into guarantee_account (enterprise_id, balance, reserved, updated_at) values (?, ?, 0, ?) on conflict do nothing")
                .params(enterpriseId, balance, at).update();
        if (created == 1) {
            move(enterpriseId, null, "DEPOSIT", balance, "opening balance", at);
        }
    }

    public void reserve(String enterpriseId, UUID declarationId, BigDecimal amount, OffsetDateTime at) {
        jdbc.sql("update guarantee_account set reserved = reserved + ?, updated_at = ? where enterprise_id = ?")
                .params(amount, at, enterpriseId).update();
        move(enterpriseId, declarationId, "RESERVE", amount, "tax decision", at);
    }

    /** Rejection or cancellation: the tax the decision reserved is no longer held. */
    public void release(String enterpriseId, UUID declarationId, BigDecimal amount, OffsetDateTime at) {
        release(enterpriseId, declarationId, amount, "rejection or cancellation", at);
    }

    /** Tax the guarantee held is no longer held: paid by the withholding agent, withdrawn, or returned. */
    public void release(String enterpriseId, UUID declarationId, BigDecimal amount, String why, OffsetDateTime at) {
        jdbc.sql("update guarantee_account set reserved = reserved - ?, updated_at = ? where enterprise_id = ?")
                .params(amount, at, enterpriseId).update();
        move(enterpriseId, declarationId, "RELEASE", amount, why, at);
    }

    private void move(String enterpriseId, UUID declarationId, String kind, BigDecimal amount, String byWhom, OffsetDateTime at) {
        jdbc.sql("""
                        insert into guarantee_movement (enterprise_id, declaration_id, kind, amount, at, by_whom)
                        values (?, ?, ?, ?, ?, ?)""")
                .params(enterpriseId, declarationId, kind, amount, at, byWhom).update();
    }
}

package org.singlewindow.tax.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.kit.web.ApiException;
import org.singlewindow.kit.web.IdempotencyKeys;
import org.singlewindow.tax.ledger.GuaranteeAccounts;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Administrators: the enterprises' guarantee accounts (balance, reserved, movements) and deposits
 * (each with an Idempotency-Key; the same key deposits once).
 */
@Tag(name = "Guarantee accounts", description = "The withholding agents' guarantee accounts and deposits.")
@RestController
@RequestMapping(path = "/api/v1/admin/tax/guarantee-accounts", produces = MediaType.APPLICATION_JSON_VALUE)
class GuaranteeController {

    private static final Pattern ENTERPRISE = Pattern.compile("[0-9A-Z]{10}");

    private final GuaranteeAccounts accounts;
    private final JdbcClient jdbc;

    GuaranteeController(GuaranteeAccounts accounts, JdbcClient jdbc) {
        this.accounts = accounts;
        this.jdbc = jdbc;
    }

    record Movement(String kind, BigDecimal amount, UUID declarationId, OffsetDateTime at, String byWhom) {
    }

    record AccountView(String enterpriseId, BigDecimal balance, BigDecimal reserved, BigDecimal available,
                       List<Movement> recentMovements) {
    }

    record Deposit(BigDecimal amount) {
    }

    /** An account in the list: what it holds, what is reserved for declarations being decided, what is left. */
    record AccountSummary(String enterpriseId, BigDecimal balance, BigDecimal reserved, BigDecimal available,
                          OffsetDateTime updatedAt) {
    }

    /** Every guarantee account, the least available first (the ones about to refuse declarations). */
    @GetMapping
    List<AccountSummary> list() {
        return jdbc.sql("""
                        select enterprise_id, balance, reserved, balance - reserved as available, updated_at
                        from guarantee_account order by balance - reserved, enterprise_id limit 500""")
                .query(AccountSummary.class).list();
    }

    @GetMapping("/{enterpriseId}")
    AccountView get(@PathVariable String enterpriseId) {
        check(enterpriseId);
        var account = accounts.find(enterpriseId).orElseThrow(() -> ApiException.notFound("guarantee account of " + enterpriseId));
        List<Movement> movements = jdbc.sql("""
                        select kind, amount, declaration_id, at, by_whom from guarantee_movement
                        where enterprise_id = ? order by id desc limit 50""")
                .param(enterpriseId).query(Movement.class).list();
        return new AccountView(enterpriseId, account.balance(), account.reserved(), account.available(), movements);
    }

    @PostMapping(path = "/{enterpriseId}/deposits", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Transactional
    AccountView deposit(@PathVariable String enterpriseId, @RequestBody Deposit deposit, Authentication who,
                        @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        check(enterpriseId);
        IdempotencyKeys.required(idempotencyKey, "a deposit", "deposit");
        if (deposit.amount() == null || deposit.amount().signum() <= 0 || deposit.amount().scale() > 2
                || deposit.amount().compareTo(new BigDecimal("100000000")) > 0) {
            throw ApiException.invalid("/amount", "range", "a positive amount in CNY with at most 2 decimals, up to 100,000,000");
        }
        accounts.deposit(enterpriseId, deposit.amount(), who.getName(), OffsetDateTime.now(ZoneOffset.UTC), idempotencyKey);
        return get(enterpriseId);
    }

    private static void check(String enterpriseId) {
        if (!ENTERPRISE.matcher(enterpriseId).matches()) {
            throw ApiException.invalid("enterpriseId", "pattern", "10 digits or capital letters");
        }
    }
}

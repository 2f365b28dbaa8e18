package org.singlewindow.tax.decision;

import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Outcome;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.kit.agency.Decision;
import org.singlewindow.kit.agency.DecisionPolicy;
import org.singlewindow.kit.agency.Settlement;
import org.singlewindow.tax.assessment.Assessor;
import org.singlewindow.tax.assessment.ComprehensiveTax;
import org.singlewindow.tax.ledger.ConsumerLedger;
import org.singlewindow.tax.ledger.GuaranteeAccounts;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Tax's decision on a declaration, in the intake transaction: message checks; the comprehensive tax
 * (which must equal the order's declared {@code taxTotal}); the consumer's annual limit; the
 * enterprise's guarantee. Everything is checked under the consumer's and the account's row locks
 * before anything is written, so a rejection reserves nothing. On the outcome: clearance commits the
 * consumer's amount, debits the guarantee and issues the tax bill; rejection or cancellation releases
 * both.
 */
@Component
class TaxPolicy implements DecisionPolicy {

    /** The calendar year of a purchase is China Standard Time's. */
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final TaxMessageChecks messageChecks = new TaxMessageChecks();
    private final Assessor assessor;
    private final ConsumerLedger ledger;
    private final GuaranteeAccounts guarantees;
    private final JdbcClient jdbc;
    private final MeterRegistry meters;

    TaxPolicy(Assessor assessor, ConsumerLedger ledger, GuaranteeAccounts guarantees, JdbcClient jdbc, MeterRegistry meters) {
        this.assessor = assessor;
        this.ledger = ledger;
        this.guarantees = guarantees;
        this.jdbc = jdbc;
        this.meters = meters;
    }

    /** The consumer's year in the ledger and the enterprise's guarantee account, as {@link #decide} locks them. */
    @Override
    public Collection<String> lockKeys(DeclarationSubmitted submitted) {
        Declaration d = submitted.declaration();
        List<String> keys = new ArrayList<>(2);
        if (d.order() != null && d.order().buyer() != null && d.order().buyer().idNumber() != null) {
            keys.add("tax-year:" + ledger.consumerKey(d.order().buyer().idNumber()) + ":" + yearOf(d, OffsetDateTime.now(ZoneOffset.UTC)));
        }
        keys.add("tax-guarantee:" + submitted.enterpriseId());
        return keys;
    }

    private static int yearOf(Declaration d, OffsetDateTime now) {
        OffsetDateTime paidAt = d.payment() != null && d.payment().payTime() != null ? d.payment().payTime() : now;
        return paidAt.atZoneSameInstant(CHINA).getYear();
    }

    @Override
    public Decision decide(DeclarationSubmitted submitted) {
        Decision checked = messageChecks.decide(submitted);
        if (checked.status() != ReceiptStatus.RELEASED) {
            return checked;
        }
        Declaration d = submitted.declaration();
        ComprehensiveTax.Assessment assessment;
        try {
            assessment = assessor.assess(d);
        } catch (ComprehensiveTax.NotAssessable e) {
            return Decision.reject(e.reasonCode(), e.getMessage(), ReceiptPayload.Findings.of(e.field(), e.reasonCode(), e.getMessage()));
        }
        if (d.order().taxTotal() == null || d.order().taxTotal().compareTo(assessment.total()) != 0) {
            return Decision.reject("TAX_TOTAL_MISMATCH", "the order declares tax " + d.order().taxTotal()
                    + " but the comprehensive tax is " + assessment.total(), payload(assessment));
        }

        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int year = yearOf(d, now);
        String consumer = ledger.consumerKey(d.order().buyer().idNumber());
        BigDecimal used = ledger.lockYear(consumer, year);
        if (used.add(assessment.transactionValue()).compareTo(ledger.limit()) > 0) {
            return Decision.reject("TAX_ANNUAL_LIMIT", "the consumer has used CNY " + used + " of the CNY " + ledger.limit()
                    + " annual limit for " + year + "; this order of CNY " + assessment.transactionValue()
                    + " would pass it, so it cannot be cleared in this channel", payload(assessment));
        }
        Optional<GuaranteeAccounts.Account> account = guarantees.lock(submitted.enterpriseId());
        if (account.isEmpty()) {
            return Decision.reject("TAX_GUARANTEE_MISSING", "enterprise " + submitted.enterpriseId()
                    + " has no guarantee account with the tax authority", payload(assessment));
        }
        if (account.get().available().compareTo(assessment.total()) < 0) {
            return Decision.reject("TAX_GUARANTEE_INSUFFICIENT", "the guarantee has CNY " + account.get().available()
                    + " available, the tax is CNY " + assessment.total(), payload(assessment));
        }

        ledger.reserve(submitted.declarationId(), consumer, year, assessment.transactionValue(), now);
        guarantees.reserve(submitted.enterpriseId(), submitted.declarationId(), assessment.total(), now);
        jdbc.sql("""
                        insert into tax_assessment (declaration_id, enterprise_id, regime, transaction_value, tariff, consumption,
                            vat, total, items, tariff_version, assessed_at, state)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, 'ASSESSED')""")
                .params(submitted.declarationId(), submitted.enterpriseId(), assessment.regime().name(),
                        assessment.transactionValue(), assessment.tariff(), assessment.consumption(), assessment.vat(),
                        assessment.total(), Json.mapper().writeValueAsString(assessment.items()), assessor.tariffVersion(), now)
                .update();
        meters.counter("sw.tax.assessed", "regime", assessment.regime().name()).increment(assessment.total().doubleValue());
        return new Decision(ReceiptStatus.RELEASED, "OK", "comprehensive tax CNY " + assessment.total() + " ("
                + (assessment.regime() == ComprehensiveTax.Regime.WITHIN_LIMITS ? "within the limits, 70 % of VAT and consumption tax"
                : "single indivisible item over CNY 5,000, full rates") + "); secured against the guarantee",
                payload(assessment));
    }

    @Override
    public Settlement concluded(UUID declarationId, Outcome outcome) {
        record Assessed(String enterpriseId, BigDecimal tariff, BigDecimal consumption, BigDecimal vat, BigDecimal total) {
        }
        Optional<Assessed> assessed = jdbc.sql("""
                        select enterprise_id, tariff, consumption, vat, total from tax_assessment
                        where declaration_id = ? and state = 'ASSESSED' for update""")
                .param(declarationId).query(Assessed.class).optional();
        if (assessed.isEmpty()) {
            return Settlement.nothingReserved("tax");
        }
        Assessed a = assessed.get();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (outcome.commits()) {
            guarantees.lock(a.enterpriseId());
            ledger.commit(declarationId, now);
            guarantees.debit(a.enterpriseId(), declarationId, a.total(), now);
            long seq = jdbc.sql("select nextval('tax_bill_seq')").query(Long.class).single();
            String billNo = "TB" + now.atZoneSameInstant(CHINA).getYear() + String.format("%010d", seq);
            jdbc.sql("""
                            insert into tax_bill (bill_no, declaration_id, enterprise_id, tariff, consumption, vat, total, issued_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(billNo, declarationId, a.enterpriseId(), a.tariff(), a.consumption(), a.vat(), a.total(), now)
                    .update();
            jdbc.sql("update tax_assessment set state = 'BILLED' where declaration_id = ?").param(declarationId).update();
            meters.counter("sw.tax.billed", "kind", "tariff").increment(a.tariff().doubleValue());
            meters.counter("sw.tax.billed", "kind", "consumption").increment(a.consumption().doubleValue());
            meters.counter("sw.tax.billed", "kind", "vat").increment(a.vat().doubleValue());
            return new Settlement("TAX_BILLED", "tax bill " + billNo + " for CNY " + a.total()
                    + " debited from the guarantee; the consumer's annual amount is counted for good");
        } else {
            // the same lock order as a decision (consumer's year, then the account): no deadlock between them
            ledger.lockYearOf(declarationId);
            guarantees.lock(a.enterpriseId());
            ledger.release(declarationId, now);
            guarantees.release(a.enterpriseId(), declarationId, a.total(), now);
            jdbc.sql("update tax_assessment set state = 'VOID' where declaration_id = ?").param(declarationId).update();
            return new Settlement("TAX_RELEASED", "the guarantee's CNY " + a.total()
                    + " and the consumer's annual amount are released");
        }
    }

    private static ReceiptPayload payload(ComprehensiveTax.Assessment a) {
        return new ReceiptPayload.TaxAssessment(a.tariff(), a.vat(), a.consumption(), a.total(), "CNY");
    }
}

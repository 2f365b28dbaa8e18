package org.singlewindow.tax.decision;

import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationReturnRequested;
import org.singlewindow.contract.DeclarationReturned;
import org.singlewindow.tax.period.TaxStatements;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Outcome;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.agency.AgencyAnswers;
import org.singlewindow.agency.Decision;
import org.singlewindow.agency.DecisionPolicy;
import org.singlewindow.agency.Settlement;
import org.singlewindow.tax.assessment.Assessor;
import org.singlewindow.tax.assessment.ComprehensiveTax;
import org.singlewindow.tax.ledger.ConsumerLedger;
import org.singlewindow.tax.ledger.GuaranteeAccounts;
import org.singlewindow.tax.TaxProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Tax's decision on a declaration, in the intake transaction: message checks; the comprehensive tax
 * (which must equal the order's declared {@code taxTotal}); the consumer's annual limit; the
 * enterprise's guarantee. Everything is checked under the consumer's and the account's row locks
 * before anything is written, so a rejection reserves nothing. On the outcome: clearance commits the
 * consumer's amount and issues the tax bill, the guarantee holding the tax until the withholding agent
 * pays it in the tax period ({@link TaxStatements}); rejection or cancellation releases both. A withdrawal
 * after release voids the bill, returned lines void their share; either takes what is still open of the
 * tax off and the amount out of the consumer's year.
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
    private final TaxStatements statements;
    /** The agency's answers: a declaration whose reservation gave way is rejected through them. */
    private final AgencyAnswers answers;
    private final java.time.Duration unprovenHoldYieldsAfter;
    private final BigDecimal unprovenFilerStep;

    TaxPolicy(Assessor assessor, ConsumerLedger ledger, GuaranteeAccounts guarantees, JdbcClient jdbc, MeterRegistry meters,
              TaxStatements statements, AgencyAnswers answers, TaxProperties properties) {
        this.statements = statements;
        this.answers = answers;
        this.unprovenHoldYieldsAfter = properties.unprovenHoldYieldsAfter();
        this.unprovenFilerStep = properties.unprovenFilerStep();
        this.assessor = assessor;
        this.ledger = ledger;
        this.guarantees = guarantees;
        this.jdbc = jdbc;
        this.meters = meters;
    }

    /** The consumer's year in the ledger and the withholding agent's guarantee account, as {@link #decide} locks them. */
    @Override
    public Collection<String> lockKeys(DeclarationSubmitted submitted) {
        Declaration d = submitted.declaration();
        List<String> keys = new ArrayList<>(2);
        if (d.order() != null && d.order().buyer() != null && d.order().buyer().idNumber() != null) {
            keys.add("tax-year:" + ledger.consumerKey(d.order().buyer().idNumber()) + ":" + yearOf(d, OffsetDateTime.now(ZoneOffset.UTC)));
        }
        keys.add("tax-guarantee:" + d.withholdingAgent());
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
        ledger.adopt(d.order().buyer().idNumber());
        BigDecimal used = ledger.lockYear(consumer, year);
        BigDecimal value = assessment.transactionValue();
        // a filer the consumer has not bought from is measured against the year with what others' purchases
        // count rounded up (ConsumerLedger#countedFor): its answers do not tell what the consumer bought elsewhere.
        // Only near the limit can that differ from the plain count (it adds less than one step).
        boolean stranger = used.add(value).add(unprovenFilerStep).compareTo(ledger.limit()) > 0
                && !ledger.boughtThrough(consumer, submitted.enterpriseId());
        BigDecimal counted = stranger ? ledger.countedFor(consumer, year, submitted.enterpriseId(), unprovenFilerStep) : used;
        BigDecimal over = counted.add(value).subtract(ledger.limit());
        if (over.signum() > 0) {
            over = over.subtract(takeYieldedQuota(consumer, year, submitted.enterpriseId(), over, now));
        }
        if (over.signum() > 0) {
            // says that the limit is reached, never how much the consumer bought elsewhere (other parties' orders)
            return Decision.reject("TAX_ANNUAL_LIMIT", "this order of CNY " + value
                    + " would take the consumer past the CNY " + ledger.limit() + " annual limit for " + year
                    + (stranger ? " as it is counted for a filer the consumer has not bought from before (what they bought "
                    + "through others counts in steps of CNY " + unprovenFilerStep + ")" : "")
                    + ", so it cannot be cleared in this channel (the consumer can look up their own yearly total)",
                    payload(assessment));
        }
        // the guarantee is the withholding agent's, who pays the tax on its statement (CEB621 assureCode), not the
        // declaring agent's
        String guarantor = d.withholdingAgent();
        Optional<GuaranteeAccounts.Account> account = guarantees.lock(guarantor);
        if (account.isEmpty()) {
            return Decision.reject("TAX_GUARANTEE_MISSING", "the withholding agent " + guarantor
                    + " (assureCode) has no guarantee account with the tax authority", payload(assessment));
        }
        if (account.get().available().compareTo(assessment.total()) < 0) {
            return Decision.reject("TAX_GUARANTEE_INSUFFICIENT", "the withholding agent " + guarantor + "'s guarantee has CNY "
                    + account.get().available() + " available, the tax is CNY " + assessment.total(), payload(assessment));
        }

        ledger.reserve(submitted.declarationId(), consumer, year, assessment.transactionValue(), submitted.enterpriseId(), now);
        guarantees.reserve(guarantor, submitted.declarationId(), assessment.total(), now);
        jdbc.sql("""
                        insert into tax_assessment (declaration_id, enterprise_id, regime, transaction_value, tariff, consumption,
                            vat, total, items, tariff_version, assessed_at, state, assure_code, guarantor)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, 'ASSESSED', ?, ?)""")
                .params(submitted.declarationId(), submitted.enterpriseId(), assessment.regime().name(),
                        assessment.transactionValue(), assessment.tariff(), assessment.consumption(), assessment.vat(),
                        assessment.total(), Json.mapper().writeValueAsString(assessment.items()), assessor.tariffVersion(), now,
                        guarantor, guarantor)
                .update();
        meters.counter("sw.tax.assessed", "regime", assessment.regime().name()).increment(assessment.total().doubleValue());
        return new Decision(ReceiptStatus.RELEASED, "OK", "comprehensive tax CNY " + assessment.total() + " ("
                + (assessment.regime() == ComprehensiveTax.Regime.WITHIN_LIMITS ? "within the limits, 70 % of VAT and consumption tax"
                : "single indivisible item over CNY 5,000, full rates") + "); secured against the guarantee",
                payload(assessment));
    }

    /**
     * A stranger cannot freeze a consumer's quota: the reservations of filers the consumer has never bought
     * from, once they have waited {@code sw.tax.unproven-hold-yields-after} (an order no agency holds clears
     * in seconds), give way to a purchase that needs the quota — oldest first, only as many as it needs, and
     * only if it then fits. Each such declaration is rejected ({@code TAX_QUOTA_YIELDED}, saying nothing of the
     * purchase that took it); the window then concludes it and its guarantee is released as for any
     * rejection. The consumer's year is locked, so this is as serialised as every other decision on it.
     *
     * @param needed how much of the year the purchase needs freed
     * @return how much was freed: at least {@code needed}, or nothing
     */
    private BigDecimal takeYieldedQuota(String consumer, int year, String filer, BigDecimal needed, OffsetDateTime now) {
        List<ConsumerLedger.Yieldable> yieldable = ledger.yieldable(consumer, year, filer, now.minus(unprovenHoldYieldsAfter));
        BigDecimal freeable = yieldable.stream().map(ConsumerLedger.Yieldable::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (freeable.compareTo(needed) < 0) {
            return BigDecimal.ZERO; // it would not fit even so: nothing is taken from anyone
        }
        BigDecimal freed = BigDecimal.ZERO;
        for (ConsumerLedger.Yieldable held : yieldable) {
            if (freed.compareTo(needed) >= 0) {
                break;
            }
            if (ledger.yieldQuota(held.declarationId(), now)) {
                freed = freed.add(held.amount());
                answers.decideByOfficer(held.declarationId(), Decision.reject("TAX_QUOTA_YIELDED",
                        "rejected: the consumer's annual amount this order reserved was needed by another of the consumer's "
                                + "purchases while this one waited; a filer the consumer has not bought from before does not "
                                + "keep the consumer's quota while its declaration is held"));
                meters.counter("sw.tax.quota.yielded").increment();
            }
        }
        return freed;
    }

    @Override
    public Settlement concluded(UUID declarationId, Outcome outcome) {
        record Assessed(String enterpriseId, String guarantor, BigDecimal tariff, BigDecimal consumption, BigDecimal vat,
                        BigDecimal total) {
        }
        Optional<Assessed> assessed = jdbc.sql("""
                        select enterprise_id, guarantor, tariff, consumption, vat, total from tax_assessment
                        where declaration_id = ? and state = 'ASSESSED' for update""")
                .param(declarationId).query(Assessed.class).optional();
        if (assessed.isEmpty()) {
            return Settlement.nothingReserved("tax");
        }
        Assessed a = assessed.get();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (outcome.commits()) {
            // the guarantee keeps holding the tax until the withholding agent pays it in the tax period
            ledger.commit(declarationId, now);
            long seq = jdbc.sql("select nextval('tax_bill_seq')").query(Long.class).single();
            String billNo = "TB" + now.atZoneSameInstant(CHINA).getYear() + String.format("%010d", seq);
            jdbc.sql("""
                            insert into tax_bill (bill_no, declaration_id, enterprise_id, tariff, consumption, vat, total, issued_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(billNo, declarationId, a.enterpriseId(), a.tariff(), a.consumption(), a.vat(), a.total(), now)
                    .update();
            jdbc.sql("update tax_assessment set state = 'BILLED', cleared_at = ? where declaration_id = ?")
                    .params(now, declarationId).update();
            meters.counter("sw.tax.billed", "kind", "tariff").increment(a.tariff().doubleValue());
            meters.counter("sw.tax.billed", "kind", "consumption").increment(a.consumption().doubleValue());
            meters.counter("sw.tax.billed", "kind", "vat").increment(a.vat().doubleValue());
            return new Settlement("TAX_BILLED", "tax bill " + billNo + " for CNY " + a.total() + " assessed, held on the "
                    + "guarantee until the withholding agent pays it (due after 30 days); the consumer's annual amount is counted for good");
        } else {
            // the same lock order as a decision (consumer's year, then the account): no deadlock between them
            ledger.lockYearOf(declarationId);
            guarantees.lock(a.guarantor());
            ledger.release(declarationId, now);
            guarantees.release(a.guarantor(), declarationId, a.total(), now);
            jdbc.sql("update tax_assessment set state = 'VOID' where declaration_id = ?").param(declarationId).update();
            return new Settlement("TAX_RELEASED", "the guarantee's CNY " + a.total()
                    + " and the consumer's annual amount are released");
        }
    }

    /** Amended before its outcome: the earlier version's reservation is released, and its assessment forgotten. */
    @Override
    public void superseded(UUID declarationId) {
        record Assessed(String guarantor, BigDecimal total) {
        }
        Optional<Assessed> assessed = jdbc.sql("""
                        select guarantor, total from tax_assessment where declaration_id = ? and state = 'ASSESSED' for update""")
                .param(declarationId).query(Assessed.class).optional();
        if (assessed.isPresent()) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            ledger.lockYearOf(declarationId);
            guarantees.lock(assessed.get().guarantor());
            ledger.release(declarationId, now);
            guarantees.release(assessed.get().guarantor(), declarationId, assessed.get().total(), "amended: the earlier version", now);
        }
        jdbc.sql("delete from ledger_entry where declaration_id = ? and state = 'RELEASED'").param(declarationId).update();
        jdbc.sql("delete from tax_assessment where declaration_id = ? and state in ('ASSESSED', 'VOID')").param(declarationId).update();
    }

    /**
     * Withdrawn after release: the bill is voided and the amount no longer counts toward the consumer's
     * year; what is still open of the tax is taken off (the guarantee's hold released, or the statement it
     * is on reduced, or — paid already — owed back to the withholding agent).
     */
    @Override
    public Settlement withdrawn(UUID declarationId) {
        Optional<TaxStatements.Open> billed = statements.lockCleared(declarationId);
        if (billed.isEmpty()) {
            return null;
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // the same lock order as a decision (consumer's year, then the account)
        ledger.lockYearOf(declarationId);
        guarantees.lock(billed.get().guarantor());
        ledger.withdraw(declarationId, now);
        String done = statements.takeOff(billed.get(), billed.get().open(), null, now);
        jdbc.sql("update tax_bill set voided_at = ?, void_reason = 'withdrawn after release' where declaration_id = ?")
                .params(now, declarationId).update();
        jdbc.sql("update tax_assessment set state = 'WITHDRAWN' where declaration_id = ?").param(declarationId).update();
        meters.counter("sw.tax.withdrawn").increment(billed.get().open().doubleValue());
        return new Settlement("TAX_WITHDRAWN", "tax bill voided: CNY " + billed.get().open() + " " + done
                + "; the amount no longer counts toward the consumer's year");
    }

    /** A return applied for: the declaration's tax is not due while its goods may still come back. */
    @Override
    public void returnRequested(DeclarationReturnRequested application) {
        jdbc.sql("""
                        update tax_assessment set returns_pending = returns_pending + 1,
                            return_pending_until = greatest(coalesce(return_pending_until, ?), ?)
                        where declaration_id = ?""")
                .params(application.receiveBy(), application.receiveBy(), application.declarationId()).update();
    }

    /** Customs refused a return: the tax no longer waits for its goods (it falls due once no other return is under way). */
    @Override
    public void returnRefused(org.singlewindow.contract.DeclarationReturnRefused refused) {
        jdbc.sql("update tax_assessment set returns_pending = greatest(returns_pending - 1, 0) where declaration_id = ?")
                .param(refused.declarationId()).update();
    }

    /**
     * Returned lines: each line's tax and taxable value are shared by quantity, on the cumulative quantity
     * returned so far (this return's share is the difference), so partial returns of a line add up to the
     * line's amounts to the fen. Their tax is taken off what is owed ({@link TaxStatements#takeOff}) and their
     * value no longer counts toward the consumer's year.
     */
    @Override
    public Settlement returned(DeclarationReturned returned) {
        UUID id = returned.declarationId();
        Optional<TaxStatements.Open> billed = statements.lockCleared(id);
        if (billed.isEmpty()) {
            return null;
        }
        Map<Integer, ComprehensiveTax.ItemTax> items = new HashMap<>();
        for (ComprehensiveTax.ItemTax item : Json.mapper().readValue(billed.get().items(), ComprehensiveTax.ItemTax[].class)) {
            items.put(item.gnum(), item);
        }
        Map<Integer, BigDecimal> before = new HashMap<>();
        jdbc.sql("""
                        select (l->>'gnum')::int, sum((l->>'quantity')::numeric) from tax_return, jsonb_array_elements(lines) l
                        where declaration_id = ? group by 1""")
                .param(id).query((rs, n) -> before.put(rs.getInt(1), rs.getBigDecimal(2))).list();
        BigDecimal tax = BigDecimal.ZERO.setScale(2);
        BigDecimal amount = BigDecimal.ZERO.setScale(2);
        for (var line : returned.lines()) {
            ComprehensiveTax.ItemTax item = items.get(line.gnum());
            if (item == null || line.declaredQuantity() == null || line.declaredQuantity().signum() <= 0) {
                throw new org.singlewindow.kit.messaging.NonRetryableMessageException("return " + returned.returnId()
                        + " names line " + line.gnum() + ", which declaration " + id + " was not taxed for");
            }
            BigDecimal previous = before.getOrDefault(line.gnum(), BigDecimal.ZERO);
            tax = tax.add(share(item.total(), previous.add(line.quantity()), line.declaredQuantity()))
                    .subtract(share(item.total(), previous, line.declaredQuantity()));
            amount = amount.add(share(item.taxablePrice(), previous.add(line.quantity()), line.declaredQuantity()))
                    .subtract(share(item.taxablePrice(), previous, line.declaredQuantity()));
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        ledger.lockYearOf(id);
        guarantees.lock(billed.get().guarantor());
        ledger.returned(id, amount);
        String done = tax.signum() > 0 ? statements.takeOff(billed.get(), tax, returned.returnId(), now) : "nothing to take off";
        jdbc.sql("""
                        update tax_assessment set voided = voided + ?, returns_pending = greatest(returns_pending - 1, 0)
                        where declaration_id = ?""")
                .params(tax, id).update();
        jdbc.sql("insert into tax_return (return_id, declaration_id, lines, tax, amount, returned_at) values (?, ?, ?::jsonb, ?, ?, ?)")
                .params(returned.returnId(), id, Json.mapper().writeValueAsString(returned.lines()), tax, amount, now).update();
        meters.counter("sw.tax.returned").increment(tax.doubleValue());
        return new Settlement("TAX_VOIDED", "tax of the returned line(s) CNY " + tax + " voided (" + done + "); CNY "
                + amount + " no longer counts toward the consumer's year");
    }

    /** A line's amount for this much of its declared quantity, to the fen. */
    private static BigDecimal share(BigDecimal lineAmount, BigDecimal quantity, BigDecimal declared) {
        return lineAmount.multiply(quantity).divide(declared, 2, java.math.RoundingMode.HALF_UP);
    }

    private static ReceiptPayload payload(ComprehensiveTax.Assessment a) {
        return new ReceiptPayload.TaxAssessment(a.tariff(), a.vat(), a.consumption(), a.total(), "CNY");
    }
}

package org.singlewindow.forex.decision;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Outcome;
import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.forex.ForexProperties;
import org.singlewindow.forex.firms.PaymentFirms;
import org.singlewindow.forex.ledger.PayerLedger;
import org.singlewindow.forex.rates.ExchangeRates;
import org.singlewindow.agency.Decision;
import org.singlewindow.agency.DecisionPolicy;
import org.singlewindow.agency.MessageChecks;
import org.singlewindow.agency.Settlement;
import org.singlewindow.kit.privacy.PersonKey;
import org.singlewindow.kit.reference.ReferenceData;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Foreign exchange decides on the payment: message checks; the payment firm is registered; amount and
 * currency match the order; the transaction is not already carried by another live declaration; the
 * amount converted to USD at the day's rate is within the per-transaction cap and the payer's annual
 * cap. Without a fresh rate the decision is deferred (asked again later), never approved blindly.
 * Everything is checked under the payer's row lock before anything is written; clearance commits the
 * payment for good, rejection or cancellation releases it.
 */
@Component
class ForexPolicy implements DecisionPolicy {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final ForexMessageChecks messageChecks = new ForexMessageChecks();
    private final ReferenceData<PaymentFirms.Register> firms;
    private final ExchangeRates rates;
    private final PayerLedger ledger;
    private final ForexProperties properties;

    ForexPolicy(ReferenceData<PaymentFirms.Register> firms, ExchangeRates rates, PayerLedger ledger, ForexProperties properties) {
        this.firms = firms;
        this.rates = rates;
        this.ledger = ledger;
        this.properties = properties;
    }

    /** The payer's year in the ledger and the payment transaction, as {@link #decide} takes them. */
    @Override
    public Collection<String> lockKeys(DeclarationSubmitted submitted) {
        Declaration.Payment payment = submitted.declaration().payment();
        if (payment == null) {
            return List.of();
        }
        List<String> keys = new ArrayList<>(2);
        keys.add("forex-transaction:" + payment.payCode() + ":" + payment.payTransactionId());
        if (payment.payerIdNumber() != null) {
            keys.add("forex-year:" + ledger.payerKey(payment.payerIdNumber()) + ":" + yearOf(payment));
        }
        return keys;
    }

    private static int yearOf(Declaration.Payment payment) {
        OffsetDateTime paidAt = payment.payTime() != null ? payment.payTime() : OffsetDateTime.now(ZoneOffset.UTC);
        return paidAt.atZoneSameInstant(CHINA).getYear();
    }

    @Override
    public Decision decide(DeclarationSubmitted submitted) {
        Decision checked = messageChecks.decide(submitted);
        if (checked.status() != ReceiptStatus.RELEASED) {
            return checked;
        }
        Declaration d = submitted.declaration();
        Declaration.Payment payment = d.payment();
        LocalDate today = LocalDate.now(CHINA);
        MessageChecks checks = new MessageChecks();
        var firm = firms.get().find(payment.payCode());
        checks.require(firm.isPresent() && firm.get().registeredOn(today), "/payment/payCode", "FX_PAYMENT_FIRM_UNREGISTERED",
                "payment firm " + payment.payCode() + " is not registered for cross-border payments"
                        + firm.map(f -> " (registered " + f.registeredFrom() + " to " + f.registeredUntil() + ")").orElse(""));
        checks.require(d.order().actualPaid() != null && payment.amountPaid().compareTo(d.order().actualPaid()) == 0,
                "/payment/amountPaid", "FX_AMOUNT_MISMATCH", "the payment of " + payment.amountPaid()
                        + " does not match the order's amount paid of " + d.order().actualPaid());
        checks.require(payment.currency().equals(d.order().currency()), "/payment/currency", "FX_CURRENCY_MISMATCH",
                "the payment is in " + payment.currency() + " but the order in " + d.order().currency());
        checks.require(!ledger.transactionTaken(payment.payCode(), payment.payTransactionId()), "/payment/payTransactionId",
                "FX_DUPLICATE_TRANSACTION", "payment transaction " + payment.payTransactionId()
                        + " already pays for another declaration");
        if (!checks.findings().isEmpty()) {
            return checks.decide("");
        }

        ExchangeRates.Answer answer = rates.usdRate(payment.currency());
        if (answer instanceof ExchangeRates.Answer.Unavailable(String reason)) {
            return Decision.defer("FX_RATE_UNAVAILABLE", "no fresh USD rate: " + reason);
        }
        if (answer instanceof ExchangeRates.Answer.NotQuoted(String currency, LocalDate date)) {
            return Decision.reject("FX_CURRENCY_NOT_QUOTED", "the rate table of " + date + " quotes no USD rate for " + currency,
                    ReceiptPayload.Findings.of("/payment/currency", "FX_CURRENCY_NOT_QUOTED", "no USD rate for " + currency));
        }
        ExchangeRates.Quote quote = ((ExchangeRates.Answer.Rate) answer).quote();
        BigDecimal usd = payment.amountPaid().divide(quote.unitsPerUsd(), 2, RoundingMode.HALF_UP);
        String conversion = payment.amountPaid() + " " + payment.currency() + " = USD " + usd + " at " + quote.unitsPerUsd()
                + " per USD (" + quote.date() + ")";
        if (usd.compareTo(properties.transactionCap()) > 0) {
            return Decision.reject("FX_TRANSACTION_CAP", conversion + ": over the USD " + properties.transactionCap()
                    + " a transaction may carry", ReceiptPayload.Findings.of("/payment/amountPaid", "FX_TRANSACTION_CAP", conversion));
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int year = yearOf(payment);
        String payer = ledger.payerKey(payment.payerIdNumber());
        ledger.adopt(payment.payerIdNumber());
        BigDecimal used = ledger.lockYear(payer, year);
        if (used.add(usd).compareTo(properties.annualCap()) > 0) {
            // says that the cap is reached, never how much the payer paid elsewhere (other parties' payments)
            return Decision.reject("FX_ANNUAL_CAP", conversion + " would take the payer past the USD " + properties.annualCap()
                    + " a person may pay in " + year + " (the payer can look up their own yearly total)",
                    ReceiptPayload.Findings.of("/payment/payerIdNumber", "FX_ANNUAL_CAP", "annual cap reached"));
        }
        ledger.reserve(new PayerLedger.Payment(submitted.declarationId(), payment.payCode(), payment.payTransactionId(),
                payment.amountPaid(), payment.currency(), quote.unitsPerUsd(), quote.date(), usd, payer, year), now);
        return Decision.release("payment verified: " + conversion + "; counted toward the payer's " + year + " total");
    }

    /** A deferred declaration (no rate yet) is decided again from the intake's copy: its payer kept sealed. */
    @Override
    public PersonKey keptIdentity() {
        return ledger.personKey();
    }

    @Override
    public Settlement concluded(UUID declarationId, Outcome outcome) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (outcome.commits()) {
            return ledger.commit(declarationId, now)
                    .map(usd -> new Settlement("FOREX_COMMITTED", "the payment of USD " + usd + " is counted for good"))
                    .orElseGet(() -> Settlement.nothingReserved("forex"));
        }
        return ledger.release(declarationId, now)
                .map(usd -> new Settlement("FOREX_RELEASED", "the payment of USD " + usd
                        + " no longer counts toward the payer's year; its transaction id is free again"))
                .orElseGet(() -> Settlement.nothingReserved("forex"));
    }

    @Override
    public Settlement withdrawn(UUID declarationId) {
        return ledger.withdraw(declarationId, OffsetDateTime.now(ZoneOffset.UTC))
                .map(usd -> new Settlement("FOREX_RELEASED", "the payment of USD " + usd
                        + " no longer counts toward the payer's year"))
                .orElse(null);
    }

    /** Amended before its outcome: the earlier version's payment no longer counts and is forgotten. */
    @Override
    public void superseded(UUID declarationId) {
        ledger.forget(declarationId, OffsetDateTime.now(ZoneOffset.UTC));
    }
}

package org.singlewindow.forex.decision;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.agency.Decision;
import org.singlewindow.agency.MessageChecks;

import java.util.Currency;

/**
 * Foreign exchange's message-level checks on the payment: a real ISO 4217 currency, a transaction
 * id, the payer identified. The first step of {@link ForexPolicy}.
 */
class ForexMessageChecks {

    Decision decide(DeclarationSubmitted submitted) {
        Declaration.Payment payment = submitted.declaration().payment();
        MessageChecks checks = new MessageChecks();
        checks.require(payment != null, "/payment", "MSG_REQUIRED", "the payment is required");
        if (payment != null) {
            checks.require(isCurrency(payment.currency()), "/payment/currency", "MSG_CURRENCY",
                    "'" + payment.currency() + "' is not an ISO 4217 currency");
            checks.require(payment.payTransactionId() != null && !payment.payTransactionId().isBlank(),
                    "/payment/payTransactionId", "MSG_REQUIRED", "the payment transaction id is required");
            checks.require(payment.payerIdNumber() != null && !payment.payerIdNumber().isBlank(),
                    "/payment/payerIdNumber", "MSG_REQUIRED", "the payer's identity is required");
            checks.require(payment.amountPaid() != null && payment.amountPaid().signum() > 0, "/payment/amountPaid",
                    "MSG_AMOUNT", "the amount paid must be positive");
        }
        return checks.decide("forex: the payment record is complete");
    }

    private static boolean isCurrency(String code) {
        if (code == null) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

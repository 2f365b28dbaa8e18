package org.singlewindow.contract;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** Typed details an agency may attach to a receipt. The {@code type} property names the variant. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ReceiptPayload.TaxAssessment.class, name = "tax-assessment"),
        @JsonSubTypes.Type(value = ReceiptPayload.Findings.class, name = "findings"),
        @JsonSubTypes.Type(value = ReceiptPayload.ReturnRef.class, name = "return")
})
public sealed interface ReceiptPayload {

    /** The comprehensive tax on a declaration, in CNY. */
    record TaxAssessment(BigDecimal tariff, BigDecimal vat, BigDecimal consumptionTax, BigDecimal total,
                         String currency) implements ReceiptPayload {
    }

    /** Every rule that failed, for a rejection with more than one reason. */
    record Findings(List<Finding> findings) implements ReceiptPayload {

        /** The one rule that failed. */
        public static Findings of(String field, String reasonCode, String message) {
            return new Findings(List.of(new Finding(field, reasonCode, message)));
        }
    }

    record Finding(String field, String reasonCode, String message) {
    }

    /** Which return of the declaration a return receipt settles. */
    record ReturnRef(UUID returnId) implements ReceiptPayload {
    }
}

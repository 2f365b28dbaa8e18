package org.singlewindow.customs.decision;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.Samples;
import org.singlewindow.contract.reference.TariffTable;
import org.singlewindow.customs.risk.RiskRules;
import org.singlewindow.customs.risk.RiskRulesReference;
import org.singlewindow.agency.Decision;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class CustomsPolicyTest {

    private final RiskRulesReference riskKind = new RiskRulesReference();
    private final CustomsPolicy policy = new CustomsPolicy(TariffTable::bundled, () -> riskKind.parse(riskKind.bundled()), true);

    private Decision decide(Consumer<ObjectNode> change) {
        return decide(policy, change);
    }

    private static Decision decide(CustomsPolicy policy, Consumer<ObjectNode> change) {
        ObjectNode json = Samples.declaration();
        change.accept(json);
        return policy.decide(new DeclarationSubmitted(UUID.randomUUID(), "4101960005", OffsetDateTime.now(),
                Json.mapper().treeToValue(json, Declaration.class)));
    }

    @Test
    void wherePlatformsVerifyBuyersThePayerMayBeSomeoneElseIfThePortSaysSo() {
        CustomsPolicy relaxed = new CustomsPolicy(TariffTable::bundled, () -> riskKind.parse(riskKind.bundled()), false);
        Consumer<ObjectNode> otherPayer = j -> ((ObjectNode) j.get("payment")).put("payerName", "Li Si")
                .put("payerIdNumber", org.singlewindow.contract.ResidentId.random());
        assertThat(decide(relaxed, otherPayer).status()).isEqualTo(ReceiptStatus.RELEASED);
        assertThat(reasons(decide(otherPayer))).containsExactly("CUS_PAYER_NOT_BUYER");
    }

    private static List<String> reasons(Decision decision) {
        return decision.payload() instanceof ReceiptPayload.Findings f
                ? f.findings().stream().map(ReceiptPayload.Finding::reasonCode).toList()
                : List.of(decision.reasonCode());
    }

    private static ObjectNode order(ObjectNode json) {
        return (ObjectNode) json.get("order");
    }

    @Test
    void releasesADeclarationWhoseThreeDocumentsAgree() {
        Decision decision = decide(json -> { });
        assertThat(decision.status()).isEqualTo(ReceiptStatus.RELEASED);
    }

    @Test
    void eachThreeDocumentMismatchIsRejectedWithItsOwnReason() {
        assertThat(reasons(decide(j -> order(j).put("actualPaid", new BigDecimal("327.00")))))
                .contains("CUS_ACTUAL_PAID");
        assertThat(reasons(decide(j -> ((ObjectNode) j.get("payment")).put("amountPaid", new BigDecimal("300.00")))))
                .containsExactly("CUS_PAYMENT_AMOUNT");
        assertThat(reasons(decide(j -> {
            order(j).put("goodsValue", new BigDecimal("310.00"));
            order(j).put("actualPaid", new BigDecimal("337.30"));
            ((ObjectNode) j.get("payment")).put("amountPaid", new BigDecimal("337.30"));
        }))).containsExactly("CUS_GOODS_VALUE");
        assertThat(reasons(decide(j -> ((ObjectNode) j.get("logistics")).put("freight", new BigDecimal("12.00")))))
                .containsExactly("CUS_FREIGHT");
        assertThat(reasons(decide(j -> ((ObjectNode) j.get("payment")).put("payerName", "Li Si"))))
                .containsExactly("CUS_PAYER_NOT_BUYER");
        assertThat(reasons(decide(j -> ((ObjectNode) j.get("logistics").get("consignee")).put("address", "No. 9 Other Road"))))
                .containsExactly("CUS_CONSIGNEE");
        assertThat(reasons(decide(j -> ((ObjectNode) j.get("payment")).put("currency", "USD"))))
                .containsExactly("CUS_PAYMENT_CURRENCY");
    }

    @Test
    void theBuyersIdNumberMustPassTheCheckDigit() {
        String wrongCheck = Samples.BUYER_ID.substring(0, 17) + "1";
        Decision decision = decide(j -> {
            ((ObjectNode) order(j).get("buyer")).put("idNumber", wrongCheck);
            ((ObjectNode) j.get("payment")).put("payerIdNumber", wrongCheck);
        });
        assertThat(reasons(decision)).containsExactly("CUS_ID_INVALID");
        assertThat(decide(j -> {
            ((ObjectNode) order(j).get("buyer")).put("idNumber", Samples.BUYER_ID);
            ((ObjectNode) j.get("payment")).put("payerIdNumber", Samples.BUYER_ID);
        }).status()).isEqualTo(ReceiptStatus.RELEASED);
    }

    @Test
    void overTheSingleTransactionLimitOnlyOneIndivisibleItemPasses() {
        Decision two = decide(j -> price(j, "2", "2600.00", "5200.00"));
        assertThat(reasons(two)).containsExactly("CUS_SINGLE_LIMIT");

        Decision one = decide(j -> price(j, "1", "6000.00", "6000.00"));
        assertThat(one.status()).isEqualTo(ReceiptStatus.MANUAL_REVIEW);
        assertThat(one.reasonCode()).isEqualTo("R_HIGH_VALUE");
    }

    @Test
    void goodsOffThePositiveListOrUnknownAreRejected() {
        // cigarettes, their legal quantities in kilograms and thousands of sticks
        assertThat(reasons(decide(j -> ((ObjectNode) j.get("items").get(0)).put("hsCode", "2402200000")
                .put("qty2", new BigDecimal("0.4")).put("unit2", "143"))))
                .containsExactly("CUS_NOT_ON_POSITIVE_LIST");
        Decision unknown = decide(j -> ((ObjectNode) j.get("items").get(0)).put("hsCode", "1234567890"));
        assertThat(reasons(unknown)).containsExactly("CUS_HS_UNKNOWN");
        assertThat(unknown.message()).contains("1234567890");
    }

    @Test
    void aRiskRuleSendsACleanDeclarationToManualReview() {
        Decision decision = decide(j -> {
            wine(j);
            price(j, "7", "40.00", "280.00");
        });
        assertThat(decision.status()).isEqualTo(ReceiptStatus.MANUAL_REVIEW);
        assertThat(decision.reasonCode()).isEqualTo("R_SPIRITS_QUANTITY");
    }

    /** Seven bottles of wine: legal quantities in litres and kilograms, as the tariff names them for 2204. */
    private static void wine(ObjectNode json) {
        ((ObjectNode) json.get("items").get(0)).put("hsCode", "2204210000").put("qty1", new BigDecimal("5.25")).put("unit1", "095")
                .put("qty2", new BigDecimal("8.4")).put("unit2", "035");
    }

    @Test
    void legalQuantitiesAreInTheUnitsTheTariffNamesForTheHsCode() {
        assertThat(decide(j -> { }).status()).isEqualTo(ReceiptStatus.RELEASED);
        Decision pieces = decide(j -> ((ObjectNode) j.get("items").get(0)).put("unit1", "007"));
        assertThat(reasons(pieces)).containsExactly("CUS_LEGAL_UNIT");
        assertThat(pieces.message()).contains("035");
        // wine has a second legal unit; infant formula has none
        assertThat(reasons(decide(j -> {
            wine(j);
            ((ObjectNode) j.get("items").get(0)).remove(java.util.List.of("qty2", "unit2"));
        }))).containsExactly("CUS_LEGAL_UNIT");
        assertThat(reasons(decide(j -> ((ObjectNode) j.get("items").get(0)).put("qty2", new BigDecimal("2")).put("unit2", "007"))))
                .containsExactly("CUS_LEGAL_UNIT");
    }

    @Test
    void riskRulesWithoutCriteriaOrIdsAreRefused() {
        String json = """
                {"kind": "customs-risk-rules", "version": "x", "effectiveFrom": "2026-01-01", "source": "t",
                 "rules": [{"id": "A", "description": "everything"}, {"id": "A", "description": "dup", "minQuantity": 2},
                           {"id": "has-hyphens", "description": "not a reason code", "minQuantity": 2}]}""";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RiskRules.parse(json.getBytes()))
                .hasMessageContaining("rules[0] has no criterion")
                .hasMessageContaining("rules[1].id must be unique")
                .hasMessageContaining("rules[2].id must be unique, 1 to 40 of A-Z 0-9 _");
    }

    /** Quantity, unit and total price of the one item, with the order's amounts made to agree. */
    private static void price(ObjectNode j, String quantity, String unitPrice, String total) {
        ObjectNode item = (ObjectNode) j.get("items").get(0);
        item.put("quantity", new BigDecimal(quantity));
        item.put("unitPrice", new BigDecimal(unitPrice));
        item.put("totalPrice", new BigDecimal(total));
        BigDecimal tax = new BigDecimal(order(j).get("taxTotal").asString());
        order(j).put("goodsValue", new BigDecimal(total));
        BigDecimal paid = new BigDecimal(total).add(tax);
        order(j).put("actualPaid", paid);
        ((ObjectNode) j.get("payment")).put("amountPaid", paid);
    }
}

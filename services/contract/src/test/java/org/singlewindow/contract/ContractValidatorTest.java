package org.singlewindow.contract;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContractValidatorTest {

    private final ContractValidator validator = new ContractValidator();

    @Test
    void acceptsTheSampleDeclarationAndMapsItToTheRecord() {
        ObjectNode json = Samples.declaration("ORD-1");
        assertThat(validator.validateDeclaration(json)).isEmpty();

        Declaration declaration = Json.mapper().treeToValue(json, Declaration.class);
        assertThat(declaration.order().orderNo()).isEqualTo("ORD-1");
        assertThat(declaration.order().actualPaid()).isEqualByComparingTo("327.30");
        assertThat(declaration.items()).hasSize(1);
        assertThat(declaration.logistics().warehouseCode()).isEqualTo("ZZBW01");
    }

    @Test
    void namesEachMissingFieldAndRule() {
        ObjectNode json = Samples.declaration();
        ((ObjectNode) json.get("order")).remove("orderNo");
        ((ObjectNode) json.get("order").get("buyer")).remove("idNumber");

        List<Violation> violations = validator.validateDeclaration(json);

        assertThat(violations).extracting(Violation::field, Violation::rule).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("/order/buyer/idNumber", "required"),
                org.assertj.core.groups.Tuple.tuple("/order/orderNo", "required"));
    }

    @Test
    void rejectsBadFormatsWithTheFieldPointer() {
        ObjectNode json = Samples.declaration();
        ((ObjectNode) json.get("items").get(0)).put("hsCode", "19011");
        ((ObjectNode) json.get("order")).put("currency", "rmb");

        assertThat(validator.validateDeclaration(json)).extracting(Violation::field, Violation::rule)
                .contains(org.assertj.core.groups.Tuple.tuple("/items/0/hsCode", "pattern"),
                        org.assertj.core.groups.Tuple.tuple("/order/currency", "pattern"));
    }

    @Test
    void theBuyerIsKnownByTheResidentIdentityCardOnly() {
        ObjectNode json = Samples.declaration();
        ((ObjectNode) json.get("order").get("buyer")).put("idType", "2");

        assertThat(validator.validateDeclaration(json)).extracting(Violation::field, Violation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/order/buyer/idType", "const"));
    }

    @Test
    void rejectsUnknownFieldsNegativeAmountsAndFractionsOfAFen() {
        ObjectNode json = Samples.declaration();
        json.put("surprise", true);
        ((ObjectNode) json.get("order")).put("goodsValue", new BigDecimal("-1"));
        ((ObjectNode) json.get("payment")).put("amountPaid", new BigDecimal("327.301"));

        assertThat(validator.validateDeclaration(json)).extracting(Violation::field, Violation::rule)
                .contains(org.assertj.core.groups.Tuple.tuple("/surprise", "additionalProperties"),
                        org.assertj.core.groups.Tuple.tuple("/order/goodsValue", "exclusiveMinimum"),
                        org.assertj.core.groups.Tuple.tuple("/payment/amountPaid", "moneyScale"));
    }

    @Test
    void bondedImportNeedsAWarehouseAndItemRecords() {
        ObjectNode json = Samples.declaration();
        ((ObjectNode) json.get("logistics")).remove("warehouseCode");
        ((ObjectNode) json.get("items").get(0)).remove("itemRecordNo");

        assertThat(validator.validateDeclaration(json)).extracting(Violation::field)
                .contains("/logistics/warehouseCode", "/items/0/itemRecordNo");

        json.put("declarationType", "DIRECT_IMPORT_9610");
        assertThat(validator.validateDeclaration(json)).isEmpty();
    }

    @Test
    void receiptsRoundTripAndValidate() {
        Receipt receipt = new Receipt(java.util.UUID.randomUUID(), java.util.UUID.randomUUID(), Agency.TAX,
                Receipt.Kind.DECISION, ReceiptStatus.RELEASED, "OK", "cleared",
                java.time.OffsetDateTime.parse("2026-11-28T10:00:00Z"),
                new ReceiptPayload.TaxAssessment(BigDecimal.ZERO, new BigDecimal("27.30"), BigDecimal.ZERO,
                        new BigDecimal("27.30"), "CNY"));

        var tree = Json.mapper().valueToTree(receipt);
        assertThat(validator.validateReceipt((tools.jackson.databind.JsonNode) tree)).isEmpty();
        assertThat(Json.mapper().treeToValue((tools.jackson.databind.JsonNode) tree, Receipt.class)).isEqualTo(receipt);
        assertThat(receipt.routingKey()).isEqualTo("receipt.tax.released.v1");
    }

    @Test
    void convertsNetworkntPathsToJsonPointers() {
        assertThat(ContractValidator.pointer("$")).isEmpty();
        assertThat(ContractValidator.pointer("$.items[0].hsCode")).isEqualTo("/items/0/hsCode");
        assertThat(ContractValidator.pointer("$['odd name'].x")).isEqualTo("/odd name/x");
    }
}

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
    void anArrayLongerThanTheStandardAllowsIsRefusedBeforeAnyElementIsChecked() {
        // 260,001 lines of goods fit in about 1 MB of JSON: one violation, not one per line and field
        ObjectNode json = Samples.declaration();
        var items = json.putArray("items");
        for (int i = 0; i <= 260_000; i++) {
            items.addObject();
        }
        long started = System.nanoTime();
        List<Violation> violations = validator.validateDeclaration(json);
        long micros = (System.nanoTime() - started) / 1_000;
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("/items");
            assertThat(v.rule()).isEqualTo("maxItems");
            assertThat(v.message()).contains("at most 100", "260001");
        });
        System.out.println("a body of 260,001 lines of goods validated in " + micros + " µs");
    }

    @Test
    void anObjectWiderOrDeeperThanTheStandardIsRefusedAtOnce() {
        ObjectNode wide = Samples.declaration();
        ObjectNode order = (ObjectNode) wide.get("order");
        for (int i = 0; i < 100_000; i++) {
            order.put("x" + i, i);
        }
        assertThat(validator.validateDeclaration(wide)).extracting(Violation::field, Violation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/order", "maxProperties"));

        ObjectNode deep = Samples.declaration();
        ObjectNode inner = (ObjectNode) deep.get("order");
        for (int i = 0; i < 20; i++) {
            inner = inner.putObject("n");
        }
        assertThat(validator.validateDeclaration(deep)).extracting(Violation::rule).containsExactly("maxDepth");
    }

    @Test
    void atMostAHundredViolationsAreListedTheLastCountingTheRest() {
        // 100 lines of goods, each with every field of the wrong type: over a thousand broken rules
        ObjectNode json = Samples.declaration();
        var items = json.putArray("items");
        for (int i = 0; i < 100; i++) {
            ObjectNode line = items.addObject();
            for (String field : List.of("gnum", "itemRecordNo", "itemNo", "hsCode", "name", "barCode", "originCountry", "gmodel",
                    "quantity", "unit", "qty1", "unit1", "qty2", "unit2", "unitPrice", "totalPrice", "currency")) {
                line.putArray(field);
            }
        }
        long started = System.nanoTime();
        List<Violation> violations = validator.validateDeclaration(json);
        System.out.println("100 lines of goods, every field broken, validated in " + (System.nanoTime() - started) / 1_000 + " µs");
        assertThat(violations).hasSize(ContractValidator.MAX_VIOLATIONS);
        assertThat(violations.getLast().rule()).isEqualTo("maxViolations");
        assertThat(violations.getLast().message()).matches("\\d+ more rules are broken and not listed; correct these first");
        assertThat(Integer.parseInt(violations.getLast().message().split(" ")[0])).isGreaterThan(1_000);
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
    void aGiftLineIsFreeAndAUnitPriceHasTheStandardsFiveDecimals() {
        ObjectNode json = Samples.declaration();
        ObjectNode gift = ((ObjectNode) json.get("items").get(0)).deepCopy();
        gift.put("gnum", 2).put("unitPrice", BigDecimal.ZERO).put("totalPrice", BigDecimal.ZERO);
        ((tools.jackson.databind.node.ArrayNode) json.get("items")).add(gift);
        assertThat(validator.validateDeclaration(json)).isEmpty();

        gift.put("unitPrice", new BigDecimal("0.33333"));
        assertThat(validator.validateDeclaration(json)).isEmpty();
        gift.put("unitPrice", new BigDecimal("0.333333")).put("totalPrice", new BigDecimal("1.005"));
        assertThat(validator.validateDeclaration(json)).extracting(Violation::field, Violation::rule)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("/items/1/unitPrice", "moneyScale"),
                        org.assertj.core.groups.Tuple.tuple("/items/1/totalPrice", "moneyScale"));
        gift.put("unitPrice", new BigDecimal("-1")).put("totalPrice", BigDecimal.ZERO);
        assertThat(validator.validateDeclaration(json)).extracting(Violation::field).contains("/items/1/unitPrice");
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

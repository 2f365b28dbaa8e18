package org.singlewindow.sandbox;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.ResidentId;
import org.singlewindow.contract.Samples;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one enterprise cannot do with another's goods, codes and customers (the security review's findings
 * 1 to 3),
 * end to end through the gateway with the sandbox's party register: enterprise-a declares for the seller
 * 4101960002 and operates the bonded warehouse ZZBW01; enterprise-b sells its own goods on the same
 * marketplace, with its own payment and logistics firms.
 */
class PartiesE2EIT {

    private static final String SELLER_OF_A = "4101960002";

    private static E2EClient client;

    @BeforeAll
    static void start() {
        client = new E2EClient(E2EPlatform.get());
    }

    /** A new item with this many units of A's seller in ZZBW01, stocked in by its operator (enterprise-a). */
    private static String stockedForA(int units) throws Exception {
        String item = "P" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
        HttpResponse<String> in = client.call("POST", "/api/v1/logistics/stock-ins", "enterprise-a", stockIn("ZZBW01", SELLER_OF_A,
                item, units), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(in.statusCode()).as(in.body()).isEqualTo(201);
        return item;
    }

    private static String stockIn(String warehouse, String owner, String item, int units) {
        return "{\"warehouseCode\": \"" + warehouse + "\", \"ownerCode\": \"" + owner + "\", \"items\": [{\"itemRecordNo\": \""
                + item + "\", \"quantity\": " + units + ", \"batchNo\": \"B1\"}]}";
    }

    private static ObjectNode order(String item) {
        ObjectNode json = Samples.declaration("ORD-" + UUID.randomUUID().toString().substring(0, 12));
        String buyer = ResidentId.random();
        ((ObjectNode) json.get("order").get("buyer")).put("idNumber", buyer);
        ((ObjectNode) json.get("payment")).put("payerIdNumber", buyer).put("payTransactionId", "PAY" + UUID.randomUUID());
        ((ObjectNode) json.get("logistics")).put("logisticsNo", "WB" + UUID.randomUUID().toString().substring(0, 16));
        ((ObjectNode) json.get("items").get(0)).put("itemRecordNo", item);
        return json;
    }

    private static JsonNode available(String item) throws Exception {
        return E2EClient.json(client.call("GET", "/api/v1/logistics/stock?warehouseCode=ZZBW01&itemRecordNo=" + item,
                "logistics-officer", null)).get(0).get("available");
    }

    @Test
    void anEnterpriseNeitherSeesNorDrawsOnNorStocksAnothersBondedGoods() throws Exception {
        String item = stockedForA(2);

        // B lists A's operator's warehouse: none of A's seller's accounts
        String listed = client.call("GET", "/api/v1/logistics/stock?warehouseCode=ZZBW01", "enterprise-b", null).body();
        assertThat(E2EClient.json(client.call("GET", "/api/v1/logistics/stock?warehouseCode=ZZBW01&itemRecordNo=" + item,
                "enterprise-b", null))).isEmpty();
        assertThat(listed).doesNotContain(item).doesNotContain(SELLER_OF_A);
        // the operator sees every owner's accounts
        assertThat(client.call("GET", "/api/v1/logistics/stock?warehouseCode=ZZBW01&itemRecordNo=" + item, "enterprise-a", null).body())
                .contains(item).contains(SELLER_OF_A);

        // B files for A's goods in A's seller's name: refused at the window, nothing reserved
        ObjectNode forAsGoods = order(item);
        ((ObjectNode) forAsGoods.get("declarant")).put("agentCode", E2EPlatform.ENTERPRISE_B);
        HttpResponse<String> refused = client.submit(forAsGoods, "enterprise-b");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("/order/ebcCode");

        // B files for the same item record as its own goods: it draws on its own account, which holds none
        HttpResponse<String> own = client.submit(E2EPlatform.ofB(order(item)), "enterprise-b");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(202);
        JsonNode view = client.awaitStatus(E2EClient.json(own).get("id").asString(), "REJECTED", "enterprise-b");
        assertThat(view.toString()).contains("LOG_STOCK_SHORT");

        // B cannot stock into A's operator's warehouse, not even for itself
        for (String owner : new String[] {SELLER_OF_A, E2EPlatform.ENTERPRISE_B}) {
            HttpResponse<String> stocked = client.call("POST", "/api/v1/logistics/stock-ins", "enterprise-b",
                    stockIn("ZZBW01", owner, item, 5), "Idempotency-Key", UUID.randomUUID().toString());
            assertThat(stocked.statusCode()).as(stocked.body()).isEqualTo(403);
            assertThat(stocked.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(available(item).decimalValue()).isEqualByComparingTo("2");

        // A's own declaration for its two units clears
        String ofA = client.submit(order(item));
        client.awaitStatus(ofA, "CLEARED");
    }

    @Test
    void anotherEnterpriseCannotClaimAnOrdersPaymentOrWaybillFirst() throws Exception {
        String item = stockedForA(2);
        ObjectNode ofA = order(item);

        // B files first with A's order number, payment transaction and waybill number, under each of
        // A's codes in turn: every one is refused naming the field, and nothing is filed
        String[][] claims = {{"order", "ebcCode", SELLER_OF_A, "/order/ebcCode"},
                {"payment", "payCode", "3101960003", "/payment/payCode"},
                {"logistics", "logisticsCode", "4101960004", "/logistics/logisticsCode"}};
        for (String[] claim : claims) {
            ObjectNode byB = E2EPlatform.ofB(ofA.deepCopy());
            ((ObjectNode) byB.get(claim[0])).put(claim[1], claim[2]);
            HttpResponse<String> refused = client.submit(byB, "enterprise-b");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            assertThat(refused.body()).contains(claim[3]).doesNotContain("already");
        }
        // with its own firms, the same numbers are B's own order, payment and waybill
        HttpResponse<String> own = client.submit(E2EPlatform.ofB(ofA.deepCopy()), "enterprise-b");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(202);

        // A's order, payment and waybill are still A's: its declaration clears
        String id = client.submit(ofA);
        JsonNode view = client.awaitStatus(id, "CLEARED");
        assertThat(view.toString()).doesNotContain("FX_DUPLICATE_TRANSACTION").doesNotContain("LOG_WAYBILL_TAKEN");
        // and its waybill is not B's to read or report on
        String waybill = ofA.get("logistics").get("logisticsNo").asString();
        assertThat(client.call("GET", "/api/v1/logistics/waybills/" + waybill, "enterprise-a", null).body()).contains(id);
        assertThat(client.call("GET", "/api/v1/logistics/waybills/" + waybill, "enterprise-b", null).body()).doesNotContain(id);
    }

    /**
     * B stocks seven bottles of its own wine in its own warehouse and files them at this price for a person:
     * customs holds the order for review (R_SPIRITS_QUANTITY) and tax reserves it on the person's year.
     */
    private static String heldWineOfB(String buyer, BigDecimal unitPrice) throws Exception {
        String item = "W" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
        String stockKey = UUID.randomUUID().toString();
        HttpResponse<String> in = asB("POST", "/api/v1/logistics/stock-ins", stockIn("LYBW01", E2EPlatform.ENTERPRISE_B, item, 7),
                "Idempotency-Key", stockKey);
        assertThat(in.statusCode()).as(in.body()).isEqualTo(201);
        HttpResponse<String> quote = asB("POST", "/api/v1/tax/quotes", """
                {"items": [{"hsCode": "2204210000", "quantity": 7, "unit": "007", "unitPrice": %s}], "freight": 0, "insurance": 0}"""
                .formatted(unitPrice.toPlainString()));
        assertThat(quote.statusCode()).as(quote.body()).isEqualTo(200);
        BigDecimal tax = E2EClient.json(quote).get("assessment").get("total").decimalValue();
        BigDecimal goods = unitPrice.multiply(new BigDecimal("7"));
        ObjectNode wine = E2EPlatform.ofB(order(item));
        ((ObjectNode) wine.get("order").get("buyer")).put("idNumber", buyer);
        ((ObjectNode) wine.get("payment")).put("payerIdNumber", buyer);
        ObjectNode line = (ObjectNode) wine.get("items").get(0);
        line.put("hsCode", "2204210000").put("name", "Red wine 750 ml").put("quantity", new BigDecimal("7"))
                .put("qty1", new BigDecimal("5.25")).put("unit1", "095").put("qty2", new BigDecimal("8.4")).put("unit2", "035")
                .put("unitPrice", unitPrice).put("totalPrice", goods);
        ((ObjectNode) wine.get("order")).put("goodsValue", goods).put("taxTotal", tax).put("actualPaid", goods.add(tax));
        ((ObjectNode) wine.get("payment")).put("amountPaid", goods.add(tax));
        HttpResponse<String> filed = asB("POST", "/api/v1/declarations", wine.toString(), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(202);
        String id = E2EClient.json(filed).get("id").asString();
        client.awaitStatus(id, "HELD", "enterprise-b");
        return id;
    }

    /**
     * A call as enterprise-b, whose request quota is small in these tests (E2EPlatform): over it, the call is made
     * again once the window has passed (the same idempotency key, so nothing is done twice).
     */
    private static HttpResponse<String> asB(String method, String path, String body, String... headers) throws Exception {
        HttpResponse<String> response = client.call(method, path, "enterprise-b", body, headers);
        for (int attempt = 0; attempt < 3 && response.statusCode() == 429; attempt++) {
            Thread.sleep(1000L * Long.parseLong(response.headers().firstValue("Retry-After").orElse("10")));
            response = client.call(method, path, "enterprise-b", body, headers);
        }
        return response;
    }

    @Test
    void aStrangersHeldOrderGivesWayToThePersonsOwnPurchases() throws Exception {
        // a person buys 21,750 through A (five orders of 29 tins): A is a filer they buy through
        String buyer = ResidentId.random();
        String item = stockedForA(170);
        for (int i = 0; i < 5; i++) {
            client.awaitStatus(client.submit(FollowUpsE2EIT.orderOf(buyer, item, 29)), "CLEARED");
        }
        // B, whom the person never bought from, files 980 of wine for them: held by customs, reserved by tax
        String strangers = heldWineOfB(buyer, new BigDecimal("140.00"));
        // once it has waited (sw.tax.unproven-hold-yields-after, 3 s in these tests), the person's own purchase
        // through A that needs the quota takes it: A's clears, B's is rejected
        Thread.sleep(4_000);
        String own = client.submit(FollowUpsE2EIT.orderOf(buyer, item, 25)); // 3,750: 26,480 with B's, 25,500 without
        client.awaitStatus(own, "CLEARED");
        JsonNode rejected = client.awaitStatus(strangers, "REJECTED", "enterprise-b");
        JsonNode taxDecision = rejected.get("receipts").valueStream().filter(r -> r.get("agency").asString().equals("TAX")
                && r.get("kind").asString().equals("DECISION")).reduce((first, last) -> last).orElseThrow();
        assertThat(taxDecision.get("reasonCode").asString()).isEqualTo("TAX_QUOTA_YIELDED");
        // saying nothing of the purchase that took it
        assertThat(rejected.toString()).doesNotContain(own).doesNotContain("3750");
    }

    @Test
    void aHeldOrderCannotFreezeAPersonsYear() throws Exception {
        String id = heldWineOfB(ResidentId.random(), new BigDecimal("40.00"));

        // nobody reviews it: the hold expires (sw.decision.hold-expires-after, short in these tests), the
        // declaration is rejected and tax releases the person's reservation
        JsonNode view = client.awaitStatus(id, "REJECTED", "enterprise-b");
        assertThat(view.toString()).contains("HOLD_EXPIRED");
        // (enterprise-b's request quota is small in these tests: a 429 is simply asked again)
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> now = client.call("GET", "/api/v1/declarations/" + id, "enterprise-b", null);
            last[0] = now.statusCode() == 200 ? E2EClient.json(now) : null;
            return last[0] != null && last[0].path("followUps").path("completedAt").isString();
        });
        JsonNode settled = last[0];
        assertThat(settled.get("agencies").valueStream().filter(a -> a.get("agency").asString().equals("tax")).findFirst()
                .orElseThrow().get("settlement").asString()).isEqualTo("TAX_RELEASED");
        // the expiry is audited as a review by the system
        JsonNode customsCase = E2EClient.json(client.call("GET", "/api/v1/customs/declarations/" + id, "customs-officer", null));
        assertThat(customsCase.get("reviews").get(0).get("officer").asString()).isEqualTo("system: hold expired");
    }
}

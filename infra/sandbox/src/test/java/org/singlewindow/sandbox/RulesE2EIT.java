package org.singlewindow.sandbox;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Customs and tax decide by their rules, end to end through the gateway: a checkout quote, the
 * three-document check, manual review settled by an officer (audited), and the tax that follows the
 * outcome (bill on clearance, reservation released on rejection).
 */
class RulesE2EIT {

    private static E2EClient client;

    @BeforeAll
    static void start() {
        client = new E2EClient(E2EPlatform.get());
    }

    /** Seven bottles of wine (a customs risk rule), with the tax the quote API gives. */
    private ObjectNode wine() throws Exception {
        HttpResponse<String> quote = call("POST", "/api/v1/tax/quotes", "enterprise-a", """
                {"items": [{"hsCode": "2204210000", "quantity": 7, "unit": "007", "unitPrice": 40.00}], "freight": 0, "insurance": 0}""");
        assertThat(quote.statusCode()).as(quote.body()).isEqualTo(200);
        BigDecimal tax = Json.mapper().readTree(quote.body()).get("assessment").get("total").decimalValue();
        assertThat(tax).isEqualByComparingTo("50.09");

        ObjectNode json = Samples.declaration();
        ObjectNode item = (ObjectNode) json.get("items").get(0);
        item.put("hsCode", "2204210000");
        item.put("name", "Red wine 750 ml");
        // 7 × 0.75 l; 7 × 1.2 kg
        item.put("qty1", new BigDecimal("5.25")).put("unit1", "095").put("qty2", new BigDecimal("8.4")).put("unit2", "035");
        item.put("quantity", new BigDecimal("7"));
        item.put("unitPrice", new BigDecimal("40.00"));
        item.put("totalPrice", new BigDecimal("280.00"));
        ObjectNode order = (ObjectNode) json.get("order");
        order.put("goodsValue", new BigDecimal("280.00"));
        order.put("taxTotal", tax);
        order.put("actualPaid", new BigDecimal("280.00").add(tax));
        ((ObjectNode) json.get("payment")).put("amountPaid", new BigDecimal("280.00").add(tax));
        return json;
    }

    @Test
    void aHeldDeclarationIsReleasedByTheCustomsOfficerAndTaxBillsIt() throws Exception {
        String id = submit(wine());
        JsonNode held = awaitStatus(id, "HELD");
        assertThat(held.get("receipts").valueStream().anyMatch(r -> r.get("agency").asString().equals("CUSTOMS")
                && r.get("statusCode").asInt() == 300 && r.get("reasonCode").asString().equals("R_SPIRITS_QUANTITY"))).isTrue();

        JsonNode queue = json(call("GET", "/api/v1/customs/declarations?status=MANUAL_REVIEW&size=200", "customs-officer", null));
        assertThat(queue.get("items").valueStream().anyMatch(c -> c.get("declarationId").asString().equals(id))).isTrue();
        assertThat(call("POST", "/api/v1/customs/declarations/" + id + "/review", "tax-officer",
                "{\"decision\": \"RELEASE\", \"reason\": \"checked\"}").statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/v1/customs/declarations/" + id + "/review", "customs-officer",
                "{\"decision\": \"MAYBE\", \"reason\": \"\"}").statusCode()).isEqualTo(400);

        HttpResponse<String> released = call("POST", "/api/v1/customs/declarations/" + id + "/review", "customs-officer",
                "{\"decision\": \"RELEASE\", \"reason\": \"quantity for a family event, documents checked\"}");
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        JsonNode review = json(released).get("reviews").get(0);
        assertThat(review.get("officer").asString()).isEqualTo("customs-officer");
        assertThat(review.get("reason").asString()).contains("family event");

        awaitStatus(id, "CLEARED");
        assertThat(call("POST", "/api/v1/customs/declarations/" + id + "/review", "customs-officer",
                "{\"decision\": \"REJECT\", \"reason\": \"changed my mind\"}").statusCode()).isEqualTo(409);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode tax = json(call("GET", "/api/v1/tax/declarations/" + id + "/tax", "tax-officer", null));
            return tax.has("bill") && !tax.get("bill").isNull();
        });
        JsonNode tax = json(call("GET", "/api/v1/tax/declarations/" + id + "/tax", "tax-officer", null));
        assertThat(tax.get("bill").get("total").decimalValue()).isEqualByComparingTo("50.09");
        assertThat(tax.get("assessment").get("state").asString()).isEqualTo("BILLED");
    }

    @Test
    void anOfficersRejectionRejectsTheDeclarationAndTaxReleasesItsReservation() throws Exception {
        String id = submit(wine());
        awaitStatus(id, "HELD");
        HttpResponse<String> rejected = call("POST", "/api/v1/customs/declarations/" + id + "/review", "customs-officer",
                "{\"decision\": \"REJECT\", \"reason\": \"commercial quantity\"}");
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        JsonNode view = awaitStatus(id, "REJECTED");
        assertThat(view.get("receipts").valueStream().anyMatch(r -> r.get("reasonCode").asString().equals("OFFICER_REJECTED"))).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> json(call("GET", "/api/v1/tax/declarations/" + id + "/tax", "tax-officer", null))
                .get("assessment").get("state").asString().equals("VOID"));
    }

    @Test
    void aThreeDocumentMismatchIsRejectedWithItsReason() throws Exception {
        ObjectNode json = Samples.declaration();
        ((ObjectNode) json.get("payment")).put("amountPaid", new BigDecimal("300.00"));
        String id = submit(json);
        JsonNode view = awaitStatus(id, "REJECTED");
        assertThat(view.get("receipts").valueStream().anyMatch(r -> r.get("agency").asString().equals("CUSTOMS")
                && r.get("statusCode").asInt() == 100 && r.get("reasonCode").asString().equals("CUS_PAYMENT_AMOUNT"))).isTrue();
    }

    private String submit(JsonNode declaration) throws Exception {
        return client.submit(declaration);
    }

    private JsonNode awaitStatus(String id, String status) {
        return client.awaitStatus(id, status);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return E2EClient.json(response);
    }

    private HttpResponse<String> call(String method, String path, String user, String body) throws Exception {
        return client.call(method, path, user, body);
    }
}

package org.singlewindow.tax.decision;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationCancelled;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.ResidentId;
import org.singlewindow.contract.Samples;
import org.singlewindow.contract.Topology;
import org.singlewindow.infra.embedded.TestInfrastructure;
import org.singlewindow.infra.embedded.Tokens;
import org.singlewindow.kit.agency.AgencyIntake;
import org.singlewindow.kit.agency.Decision;
import org.singlewindow.kit.agency.DecisionPolicy;
import org.singlewindow.kit.messaging.IncomingMessage;
import org.singlewindow.tax.TaxApplication;
import org.singlewindow.tax.ledger.ConsumerLedger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tax decision against a real PostgreSQL: annual ledger under concurrency, guarantee, settlement
 * on the outcome, quotes and replacing the tariff — with the service's own beans and API.
 */
@SpringBootTest(classes = TaxApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "spring.datasource.hikari.maximum-pool-size=60",
                "sw.tax.opening-balances.4101960005=100000000.00", "sw.tax.opening-balances.4101960077=10.00"})
class TaxRulesIT {

    private static final TestInfrastructure infra = TestInfrastructure.start();
    private static final Tokens tokens = new Tokens(TestInfrastructure.issuer().issuer());

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        infra.springProperties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @AfterAll
    static void stop() {
        infra.close();
    }

    @Autowired
    DecisionPolicy policy;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ConsumerLedger ledger;
    @Autowired
    AgencyIntake intake;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    /** An order of one consumer: {@code quantity} tins of formula at CNY 150 (tax 10.5 % of the value). */
    private static DeclarationSubmitted order(String buyerId, int quantity, String enterpriseId) {
        ObjectNode json = Samples.declaration();
        BigDecimal goods = new BigDecimal("150.00").multiply(BigDecimal.valueOf(quantity));
        BigDecimal tax = goods.multiply(new BigDecimal("0.091")).setScale(2, java.math.RoundingMode.HALF_UP);
        ObjectNode item = (ObjectNode) json.get("items").get(0);
        item.put("quantity", BigDecimal.valueOf(quantity));
        item.put("totalPrice", goods);
        ObjectNode order = (ObjectNode) json.get("order");
        order.put("goodsValue", goods);
        order.put("taxTotal", tax);
        order.put("actualPaid", goods.add(tax));
        ((ObjectNode) order.get("buyer")).put("idNumber", buyerId);
        ((ObjectNode) json.get("payment")).put("payerIdNumber", buyerId);
        ((ObjectNode) json.get("payment")).put("amountPaid", goods.add(tax));
        ((ObjectNode) json.get("declarant")).put("agentCode", enterpriseId);
        return new DeclarationSubmitted(UUID.randomUUID(), enterpriseId, OffsetDateTime.now(),
                Json.mapper().treeToValue(json, Declaration.class));
    }

    private Decision decide(DeclarationSubmitted submitted) {
        return tx.execute(status -> policy.decide(submitted));
    }

    private void conclude(UUID id, String outcome) {
        tx.executeWithoutResult(status -> policy.concluded(id, org.singlewindow.contract.Outcome.valueOf(outcome)));
    }

    private BigDecimal used(String buyerId) {
        return jdbc.sql("select coalesce(sum(used), 0) from consumer_year where consumer_key = ?")
                .param(ledger.consumerKey(buyerId)).query(BigDecimal.class).single();
    }

    private BigDecimal entries(String buyerId) {
        return jdbc.sql("select coalesce(sum(amount), 0) from ledger_entry where consumer_key = ? and state in ('RESERVED', 'COMMITTED')")
                .param(ledger.consumerKey(buyerId)).query(BigDecimal.class).single();
    }

    @Test
    void aConsumerWith24000UsedCannotOrder3000More() {
        String buyer = ResidentId.random();
        for (int i = 0; i < 6; i++) {
            assertThat(decide(order(buyer, 26, "4101960005")).status()).isEqualTo(ReceiptStatus.RELEASED); // 3,900 each
        }
        assertThat(decide(order(buyer, 4, "4101960005")).status()).isEqualTo(ReceiptStatus.RELEASED); // 600: 24,000 used
        assertThat(used(buyer)).isEqualByComparingTo("24000.00");

        Decision refused = decide(order(buyer, 20, "4101960005")); // 3,000
        assertThat(refused.status()).isEqualTo(ReceiptStatus.REJECTED);
        assertThat(refused.reasonCode()).isEqualTo("TAX_ANNUAL_LIMIT");
        assertThat(used(buyer)).isEqualByComparingTo("24000.00");
        assertThat(decide(order(buyer, 13, "4101960005")).status()).isEqualTo(ReceiptStatus.RELEASED); // 1,950 still fits
    }

    @Test
    void fiftyConcurrentOrdersOfOneConsumerNeverOvershootTheYearNorCountTwice() throws Exception {
        String buyer = ResidentId.random();
        List<Callable<Decision>> orders = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            DeclarationSubmitted submitted = order(buyer, 4, "4101960005"); // 600 each: 43 fit in 26,000
            orders.add(() -> decide(submitted));
        }
        List<Decision> decisions = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            for (Future<Decision> f : pool.invokeAll(orders)) {
                decisions.add(f.get());
            }
        }
        long released = decisions.stream().filter(d -> d.status() == ReceiptStatus.RELEASED).count();
        assertThat(released).isEqualTo(43);
        assertThat(decisions).filteredOn(d -> d.status() == ReceiptStatus.REJECTED)
                .allSatisfy(d -> assertThat(d.reasonCode()).isEqualTo("TAX_ANNUAL_LIMIT"));
        assertThat(used(buyer)).isEqualByComparingTo("25800.00").isEqualByComparingTo(entries(buyer));
    }

    @Test
    void clearanceCommitsAndBillsWhileRejectionAndCancellationReleaseEverything() {
        String buyer = ResidentId.random();
        DeclarationSubmitted cleared = order(buyer, 2, "4101960005");
        DeclarationSubmitted rejected = order(buyer, 2, "4101960005");
        DeclarationSubmitted cancelled = order(buyer, 2, "4101960005");
        BigDecimal balanceBefore = balance("4101960005");
        for (var d : List.of(cleared, rejected, cancelled)) {
            assertThat(decide(d).status()).isEqualTo(ReceiptStatus.RELEASED);
        }
        assertThat(used(buyer)).isEqualByComparingTo("900.00");

        conclude(cleared.declarationId(), "CLEARED");
        conclude(rejected.declarationId(), "REJECTED");
        conclude(cancelled.declarationId(), "CANCELLED");
        conclude(cleared.declarationId(), "CLEARED"); // a second time changes nothing

        assertThat(used(buyer)).isEqualByComparingTo("300.00").isEqualByComparingTo(entries(buyer));
        assertThat(balance("4101960005")).isEqualByComparingTo(balanceBefore.subtract(new BigDecimal("27.30")));
        assertThat(jdbc.sql("select reserved from guarantee_account where enterprise_id = '4101960005'").query(BigDecimal.class).single())
                .isEqualByComparingTo(reservedOfOthers());
        assertThat(jdbc.sql("select count(*) from tax_bill where declaration_id = ?").param(cleared.declarationId()).query(Long.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from tax_bill where declaration_id in (?, ?)")
                .params(rejected.declarationId(), cancelled.declarationId()).query(Long.class).single()).isZero();
    }

    @Test
    void aGuaranteeTooSmallOrMissingRejectsAndReservesNothing() {
        String buyer = ResidentId.random();
        Decision small = decide(order(buyer, 2, "4101960077"));
        Decision none = decide(order(buyer, 2, "4101960066"));
        assertThat(small.reasonCode()).isEqualTo("TAX_GUARANTEE_INSUFFICIENT");
        assertThat(none.reasonCode()).isEqualTo("TAX_GUARANTEE_MISSING");
        assertThat(used(buyer)).isEqualByComparingTo("0");
    }

    @Test
    void aDeclaredTaxThatDiffersFromTheAssessmentIsRejected() {
        DeclarationSubmitted submitted = order(ResidentId.random(), 2, "4101960005");
        ObjectNode json = Json.mapper().valueToTree(submitted.declaration());
        ((ObjectNode) json.get("order")).put("taxTotal", new BigDecimal("20.00"));
        Decision decision = decide(new DeclarationSubmitted(UUID.randomUUID(), "4101960005", OffsetDateTime.now(),
                Json.mapper().treeToValue(json, Declaration.class)));
        assertThat(decision.reasonCode()).isEqualTo("TAX_TOTAL_MISMATCH");
        assertThat(decision.message()).contains("27.30");
    }

    @Test
    void aQuoteShowsTheBreakdownAndTouchesNoLedger() throws Exception {
        long entriesBefore = jdbc.sql("select count(*) from ledger_entry").query(Long.class).single();
        String enterprise = tokens.user("enterprise-a");
        HttpResponse<String> quote = post("/api/v1/tax/quotes", """
                {"items": [{"hsCode": "3304990099", "quantity": 20, "unit": "036", "unitPrice": 21.25}], "freight": 0}""", enterprise);
        assertThat(quote.statusCode()).as(quote.body()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(quote.body());
        assertThat(body.get("assessment").get("total").decimalValue()).isEqualByComparingTo("98.00");
        assertThat(body.get("assessment").get("consumption").decimalValue()).isEqualByComparingTo("52.50");
        assertThat(jdbc.sql("select count(*) from ledger_entry").query(Long.class).single()).isEqualTo(entriesBefore);

        HttpResponse<String> invalid = post("/api/v1/tax/quotes", """
                {"items": [{"hsCode": "12", "quantity": -1, "unit": "036", "unitPrice": 21.25}]}""", enterprise);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("/items/0/hsCode").contains("/items/0/quantity");
        HttpResponse<String> unknown = post("/api/v1/tax/quotes", """
                {"items": [{"hsCode": "1234567890", "quantity": 1, "unit": "007", "unitPrice": 5}]}""", enterprise);
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("TAX_HS_UNKNOWN");
        assertThat(post("/api/v1/tax/quotes", "{\"items\": []}", tokens.user("customs-officer")).statusCode()).isEqualTo(403);
        assertThat(post("/api/v1/tax/quotes", "{\"items\": []}", null).statusCode()).isEqualTo(401);
    }

    @Test
    void anAdministratorReplacesTheTariffWithoutARestartAndABrokenOneIsRefused() throws Exception {
        String admin = tokens.user("admin");
        String enterprise = tokens.user("enterprise-a");
        String quote = """
                {"items": [{"hsCode": "9503008900", "quantity": 1, "unit": "007", "unitPrice": 100}]}""";
        assertThat(Json.mapper().readTree(post("/api/v1/tax/quotes", quote, enterprise).body()).get("assessment").get("vat").decimalValue())
                .isEqualByComparingTo("9.10");

        ObjectNode tariff = (ObjectNode) Json.mapper().readTree(
                TaxRulesIT.class.getResourceAsStream(org.singlewindow.contract.reference.TariffTable.BUNDLED).readAllBytes());
        tariff.put("version", "2026.2-test");
        for (JsonNode entry : tariff.get("entries")) {
            if (entry.get("hsCode").asString().equals("9503008900")) {
                ((ObjectNode) entry).put("vat", new BigDecimal("0.09"));
            }
        }
        HttpResponse<String> replaced = put("/api/v1/admin/tax/reference/hs-tariff", Json.mapper().writeValueAsString(tariff), admin);
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.body()).contains("2026.2-test").contains("loaded by admin");
        JsonNode after = Json.mapper().readTree(post("/api/v1/tax/quotes", quote, enterprise).body());
        assertThat(after.get("tariffVersion").asString()).isEqualTo("2026.2-test");
        assertThat(after.get("assessment").get("vat").decimalValue()).isEqualByComparingTo("6.30");

        tariff.put("version", "");
        HttpResponse<String> broken = put("/api/v1/admin/tax/reference/hs-tariff", Json.mapper().writeValueAsString(tariff), admin);
        assertThat(broken.statusCode()).isEqualTo(422);
        assertThat(broken.body()).contains("version is required");
        assertThat(put("/api/v1/admin/tax/reference/hs-tariff", "{}", enterprise).statusCode()).isEqualTo(403);

        // put the bundled one back for the other tests
        tariff.put("version", "2026.1-restored");
        for (JsonNode entry : tariff.get("entries")) {
            if (entry.get("hsCode").asString().equals("9503008900")) {
                ((ObjectNode) entry).put("vat", new BigDecimal("0.13"));
            }
        }
        assertThat(put("/api/v1/admin/tax/reference/hs-tariff", Json.mapper().writeValueAsString(tariff), admin).statusCode()).isEqualTo(200);
    }

    @Test
    void aCancellationHandledBeforeItsDeclarationClosesItAndReservesNothing() {
        DeclarationSubmitted submitted = order(ResidentId.random(), 2, "4101960005");
        UUID id = submitted.declarationId();
        tx.executeWithoutResult(s -> intake.handle(new IncomingMessage(UUID.randomUUID().toString(),
                Topology.DECLARATION_CANCELLED, "c", id,
                Json.mapper().writeValueAsBytes(new DeclarationCancelled(id, "changed mind", OffsetDateTime.now())))));
        tx.executeWithoutResult(s -> intake.handle(new IncomingMessage(UUID.randomUUID().toString(),
                Topology.DECLARATION_SUBMITTED, "c", id, Json.mapper().writeValueAsBytes(submitted))));

        assertThat(jdbc.sql("select status from received_declaration where declaration_id = ?").param(id).query(String.class).single())
                .isEqualTo("CLOSED");
        assertThat(jdbc.sql("select count(*) from ledger_entry where declaration_id = ?").param(id).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from tax_assessment where declaration_id = ?").param(id).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select status_code from sent_receipt where declaration_id = ? and kind = 'DECISION'")
                .param(id).query(Integer.class).list()).containsExactly(899);
    }

    @Test
    void aDepositRetriedWithTheSameKeyDepositsOnce() throws Exception {
        String admin = tokens.user("admin");
        String path = "/api/v1/admin/tax/guarantee-accounts/4101960055/deposits";
        String key = "dep-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = send("POST", path, "{\"amount\": 1000.00}", admin, key);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        assertThat(balance("4101960055")).isEqualByComparingTo("1000.00");
        assertThat(send("POST", path, "{\"amount\": 5.00}", admin, "dep-" + UUID.randomUUID()).statusCode()).isEqualTo(200);
        assertThat(balance("4101960055")).isEqualByComparingTo("1005.00");
        HttpResponse<String> withoutKey = post(path, "{\"amount\": 5.00}", admin);
        assertThat(withoutKey.statusCode()).isEqualTo(400);
        assertThat(withoutKey.body()).contains("Idempotency-Key");
        assertThat(send("POST", path, "{\"amount\": -5}", admin, "dep-" + UUID.randomUUID()).statusCode()).isEqualTo(400);
        assertThat(balance("4101960055")).isEqualByComparingTo("1005.00");
    }

    private BigDecimal balance(String enterpriseId) {
        return jdbc.sql("select balance from guarantee_account where enterprise_id = ?").param(enterpriseId).query(BigDecimal.class).single();
    }

    private BigDecimal reservedOfOthers() {
        return jdbc.sql("select coalesce(sum(total), 0) from tax_assessment where enterprise_id = '4101960005' and state = 'ASSESSED'")
                .query(BigDecimal.class).single();
    }

    private HttpResponse<String> post(String path, String json, String token) throws Exception {
        return send("POST", path, json, token);
    }

    private HttpResponse<String> put(String path, String json, String token) throws Exception {
        return send("PUT", path, json, token);
    }

    private HttpResponse<String> send(String method, String path, String json, String token) throws Exception {
        return send(method, path, json, token, null);
    }

    private HttpResponse<String> send(String method, String path, String json, String token, String idempotencyKey)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

package org.singlewindow.sandbox;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.ResidentId;
import org.singlewindow.contract.Samples;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Inspection, forex and logistics decide by their rules end to end, and the follow-ups run on every
 * outcome: clearance commits every reservation (stock deducted, tax billed, forex counted), an
 * inspection officer's rejection and an enterprise's cancellation release them — compared exactly,
 * before and after, in the agencies' own ledgers.
 */
class FollowUpsE2EIT {

    /** A bar code on the bundled inspection rules' recall list (valid GTIN-13). */
    private static final String RECALLED_BAR_CODE = "4008976022350";

    private static Platform platform;
    private static E2EClient client;

    @BeforeAll
    static void start() {
        platform = E2EPlatform.get();
        client = new E2EClient(platform);
    }

    /** The sample order (2 tins of formula, tax 27.30) for this buyer, from this bonded account. */
    private static ObjectNode order(String buyerId, String itemRecordNo, String barCode) {
        ObjectNode json = Samples.declaration();
        ((ObjectNode) json.get("order").get("buyer")).put("idNumber", buyerId);
        ((ObjectNode) json.get("payment")).put("payerIdNumber", buyerId);
        ObjectNode item = (ObjectNode) json.get("items").get(0);
        item.put("itemRecordNo", itemRecordNo);
        item.put("barCode", barCode);
        return json;
    }

    /** A fresh bonded account with this many units, stocked in through the API. */
    private String stockedItem(int units) throws Exception {
        String item = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
        String body = "{\"warehouseCode\": \"ZZBW01\", \"items\": [{\"itemRecordNo\": \"" + item + "\", \"quantity\": " + units
                + ", \"batchNo\": \"B2026-11\"}]}";
        String key = UUID.randomUUID().toString();
        HttpResponse<String> in = client.call("POST", "/api/v1/logistics/stock-ins", "enterprise-a", body, "Idempotency-Key", key);
        assertThat(in.statusCode()).as(in.body()).isEqualTo(201);
        // the same request again stocks in once
        HttpResponse<String> again = client.call("POST", "/api/v1/logistics/stock-ins", "enterprise-a", body, "Idempotency-Key", key);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(stock(item).onHand()).isEqualByComparingTo(BigDecimal.valueOf(units));
        return item;
    }

    record Level(BigDecimal onHand, BigDecimal reserved, BigDecimal available) {
    }

    private Level stock(String item) throws Exception {
        JsonNode levels = E2EClient.json(client.call("GET", "/api/v1/logistics/stock?warehouseCode=ZZBW01&itemRecordNo=" + item,
                "logistics-officer", null));
        JsonNode level = levels.get(0);
        return new Level(level.get("onHand").decimalValue(), level.get("reserved").decimalValue(), level.get("available").decimalValue());
    }

    /** Everything the agencies hold for a consumer and an item, read from their own schemas. */
    record Ledgers(List<String> rows) {
    }

    private Ledgers ledgers(String clearedDeclarationOfTheBuyer, String item) throws Exception {
        List<String> rows = new ArrayList<>();
        Properties user = new Properties();
        user.setProperty("user", "postgres");
        try (Connection db = DriverManager.getConnection(platform.jdbcUrl(), user)) {
            query(db, rows, """
                    select 'tax consumer', y.year, y.used from tax.consumer_year y
                    join tax.ledger_entry e on e.consumer_key = y.consumer_key and e.year = y.year where e.declaration_id = ?::uuid""",
                    clearedDeclarationOfTheBuyer);
            query(db, rows, """
                    select 'forex payer', y.year, y.used_usd from forex.payer_year y
                    join forex.payment_record p on p.payer_key = y.payer_key and p.year = y.year where p.declaration_id = ?::uuid""",
                    clearedDeclarationOfTheBuyer);
            query(db, rows, "select 'stock', on_hand, reserved from logistics.stock_account where warehouse_code = 'ZZBW01' and item_record_no = ?", item);
            query(db, rows, "select 'guarantee', balance, reserved from tax.guarantee_account where enterprise_id = ?", E2EPlatform.ENTERPRISE_A);
        }
        return new Ledgers(rows);
    }

    private static void query(Connection db, List<String> rows, String sql, String parameter) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                rows.add(rs.getString(1) + " " + rs.getBigDecimal(2).stripTrailingZeros().toPlainString() + " "
                        + rs.getBigDecimal(3).stripTrailingZeros().toPlainString());
            }
        }
    }

    /** A buyer with one cleared declaration from a fresh account of 10 units, and the ledgers as they then stand. */
    record Baseline(String buyer, String item, String cleared, Ledgers ledgers) {
    }

    private Baseline baseline() throws Exception {
        String item = stockedItem(10);
        String buyer = ResidentId.random();
        String cleared = client.submit(order(buyer, item, "4008976022343"));
        client.awaitStatus(cleared, "CLEARED");
        awaitFollowUps(cleared);
        return new Baseline(buyer, item, cleared, ledgers(cleared, item));
    }

    /** Wait until every agency has settled the outcome; returns the declaration. */
    private JsonNode awaitFollowUps(String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = E2EClient.json(client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null));
            return last[0].path("followUps").path("completedAt").isString();
        });
        return last[0];
    }

    private static String settlement(JsonNode view, String agency) {
        return view.get("agencies").valueStream().filter(a -> a.get("agency").asString().equals(agency)).findFirst()
                .orElseThrow().get("settlement").asString();
    }

    @Test
    void aClearedDeclarationCommitsEveryReservationAndItsGoodsMayLeaveTheZone() throws Exception {
        String item = stockedItem(10);
        String id = client.submit(order(ResidentId.random(), item, "4008976022343"));
        client.awaitStatus(id, "CLEARED");
        JsonNode view = awaitFollowUps(id);

        assertThat(view.get("followUps").get("outcome").asString()).isEqualTo("CLEARED");
        assertThat(settlement(view, "tax")).isEqualTo("TAX_BILLED");
        assertThat(settlement(view, "forex")).isEqualTo("FOREX_COMMITTED");
        assertThat(settlement(view, "logistics")).isEqualTo("STOCK_DEDUCTED");
        assertThat(settlement(view, "customs")).isEqualTo("NOTHING_RESERVED");
        assertThat(settlement(view, "inspection")).isEqualTo("NOTHING_RESERVED");
        // the timeline shows each follow-up step with its time and agency
        List<JsonNode> settled = view.get("timeline").valueStream().filter(e -> e.get("kind").asString().equals("SETTLED")).toList();
        assertThat(settled).hasSize(5);
        assertThat(settled).allMatch(e -> e.get("agency").isString() && e.get("at").isString());
        assertThat(view.get("timeline").valueStream().map(e -> e.get("kind").asString()))
                .contains("FOLLOW_UPS", "FOLLOW_UPS_COMPLETE");
        assertThat(view.get("receipts").valueStream().filter(r -> r.get("agency").asString().equals("FOREX")
                && r.get("kind").asString().equals("DECISION")).findFirst().orElseThrow().get("message").asString())
                .contains("327.30 CNY = USD 46.10");

        Level level = stock(item);
        assertThat(level.onHand()).isEqualByComparingTo("8");
        assertThat(level.reserved()).isEqualByComparingTo("0");

        // waybill events: in order, and out of the zone only once cleared
        String waybill = view.get("orderNo").asString();
        String logisticsNo = "WB" + waybill;
        assertThat(client.call("POST", "/api/v1/logistics/waybills/" + logisticsNo + "/events", "enterprise-a",
                "{\"status\": \"DELIVERED\", \"at\": \"" + OffsetDateTime.now().minusMinutes(1) + "\"}").statusCode()).isEqualTo(409);
        for (String status : List.of("PICKED", "LEFT_ZONE", "DELIVERED")) {
            HttpResponse<String> event = client.call("POST", "/api/v1/logistics/waybills/" + logisticsNo + "/events", "enterprise-a",
                    "{\"status\": \"" + status + "\", \"at\": \"" + OffsetDateTime.now().minusMinutes(1) + "\", \"location\": \"ZZBW01\"}");
            assertThat(event.statusCode()).as(event.body()).isEqualTo(200);
        }
        JsonNode trace = E2EClient.json(client.call("GET", "/api/v1/logistics/waybills/" + logisticsNo, "enterprise-a", null));
        assertThat(trace.get("events").valueStream().map(e -> e.get("status").asString())).containsExactly("PICKED", "LEFT_ZONE", "DELIVERED");
        assertThat(client.call("GET", "/api/v1/logistics/waybills/" + logisticsNo, "enterprise-b", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aRecalledProductIsHeldForInspectionAndTheOfficersReleaseClearsIt() throws Exception {
        String item = stockedItem(5);
        String id = client.submit(order(ResidentId.random(), item, RECALLED_BAR_CODE));
        JsonNode held = client.awaitStatus(id, "HELD");
        assertThat(held.get("receipts").valueStream().anyMatch(r -> r.get("agency").asString().equals("INSPECTION")
                && r.get("statusCode").asInt() == 500 && r.get("reasonCode").asString().equals("RECALL_FORMULA_LOT_2026"))).isTrue();

        JsonNode queue = E2EClient.json(client.call("GET", "/api/v1/inspection/declarations?status=HELD&size=200", "inspection-officer", null));
        JsonNode mine = queue.get("items").valueStream().filter(c -> c.get("declarationId").asString().equals(id)).findFirst().orElseThrow();
        assertThat(mine.get("ageSeconds").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(mine.get("overdue").asBoolean()).isFalse();
        assertThat(client.call("POST", "/api/v1/inspection/declarations/" + id + "/review", "customs-officer",
                "{\"decision\": \"RELEASE\", \"reason\": \"checked\"}").statusCode()).isEqualTo(403);
        // the goods may not leave the zone while the declaration is held
        assertThat(client.call("POST", "/api/v1/logistics/waybills/WB" + held.get("orderNo").asString() + "/events", "enterprise-a",
                "{\"status\": \"PICKED\", \"at\": \"" + OffsetDateTime.now().minusMinutes(1) + "\"}").statusCode()).isEqualTo(200);
        assertThat(client.call("POST", "/api/v1/logistics/waybills/WB" + held.get("orderNo").asString() + "/events", "enterprise-a",
                "{\"status\": \"LEFT_ZONE\", \"at\": \"" + OffsetDateTime.now().minusMinutes(1) + "\"}").statusCode()).isEqualTo(409);

        HttpResponse<String> released = client.call("POST", "/api/v1/inspection/declarations/" + id + "/review", "inspection-officer",
                "{\"decision\": \"RELEASE\", \"reason\": \"lot checked: not the recalled batch\"}");
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        assertThat(E2EClient.json(released).get("reviews").get(0).get("officer").asString()).isEqualTo("inspection-officer");
        client.awaitStatus(id, "CLEARED");
        JsonNode view = awaitFollowUps(id);
        assertThat(settlement(view, "logistics")).isEqualTo("STOCK_DEDUCTED");
        assertThat(stock(item).onHand()).isEqualByComparingTo("3");
    }

    @Test
    void anInspectionOfficersRejectionReleasesTaxForexAndStockExactly() throws Exception {
        Baseline base = baseline();
        String item = base.item();
        String buyer = base.buyer();
        String first = base.cleared();
        Ledgers before = base.ledgers();

        String id = client.submit(order(buyer, item, RECALLED_BAR_CODE));
        client.awaitStatus(id, "HELD");
        assertThat(ledgers(first, item)).isNotEqualTo(before); // reserved while held
        HttpResponse<String> rejected = client.call("POST", "/api/v1/inspection/declarations/" + id + "/review", "inspection-officer",
                "{\"decision\": \"REJECT\", \"reason\": \"recalled lot confirmed\"}");
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        client.awaitStatus(id, "REJECTED");
        JsonNode view = awaitFollowUps(id);
        assertThat(settlement(view, "tax")).isEqualTo("TAX_RELEASED");
        assertThat(settlement(view, "forex")).isEqualTo("FOREX_RELEASED");
        assertThat(settlement(view, "logistics")).isEqualTo("STOCK_RESTORED");
        assertThat(ledgers(first, item)).isEqualTo(before);
    }

    @Test
    void cancellingAHeldDeclarationReleasesTaxForexAndStockExactly() throws Exception {
        Baseline base = baseline();
        String item = base.item();
        String buyer = base.buyer();
        String first = base.cleared();
        Ledgers before = base.ledgers();

        String id = client.submit(order(buyer, item, RECALLED_BAR_CODE));
        client.awaitStatus(id, "HELD");
        HttpResponse<String> cancelled = client.call("POST", "/api/v1/declarations/" + id + "/cancellation", "enterprise-a",
                "{\"reason\": \"the buyer withdrew the order\"}");
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
        JsonNode view = awaitFollowUps(id);
        assertThat(view.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(view.get("followUps").get("outcome").asString()).isEqualTo("CANCELLED");
        assertThat(settlement(view, "tax")).isEqualTo("TAX_RELEASED");
        assertThat(settlement(view, "forex")).isEqualTo("FOREX_RELEASED");
        assertThat(settlement(view, "logistics")).isEqualTo("STOCK_RESTORED");
        assertThat(ledgers(first, item)).isEqualTo(before);
        // the held case is closed at inspection: nothing left for an officer
        assertThat(client.call("POST", "/api/v1/inspection/declarations/" + id + "/review", "inspection-officer",
                "{\"decision\": \"RELEASE\", \"reason\": \"too late\"}").statusCode()).isEqualTo(409);
    }

    @Test
    void aDeclarationForMoreThanTheWarehouseHoldsIsRejectedWithTheShortfall() throws Exception {
        String item = stockedItem(1);
        String id = client.submit(order(ResidentId.random(), item, "4008976022343"));
        JsonNode view = client.awaitStatus(id, "REJECTED");
        JsonNode logistics = view.get("receipts").valueStream().filter(r -> r.get("agency").asString().equals("LOGISTICS")
                && r.get("kind").asString().equals("DECISION")).findFirst().orElseThrow();
        assertThat(logistics.get("reasonCode").asString()).isEqualTo("LOG_STOCK_SHORT");
        assertThat(logistics.get("message").asString()).contains(item).contains("requested 2, available 1, short by 1");
        awaitFollowUps(id);
        Level level = stock(item);
        assertThat(level.onHand()).isEqualByComparingTo("1");
        assertThat(level.reserved()).isEqualByComparingTo("0");
        assertThat(level.available()).isEqualByComparingTo("1");
    }
}

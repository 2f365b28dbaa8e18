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
 * inspection officer's rejection and an enterprise's cancellation release them, a withdrawal after
 * release restores what clearance committed — compared exactly, before and after, in the agencies' own
 * ledgers.
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
        String body = "{\"warehouseCode\": \"ZZBW01\", \"ownerCode\": \"4101960002\", \"items\": [{\"itemRecordNo\": \"" + item + "\", \"quantity\": " + units
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
            query(db, rows, "select 'guarantee', balance, reserved from tax.guarantee_account where enterprise_id = ?",
                    E2EPlatform.WITHHOLDING_AGENT);
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

    private static String withdrawal(JsonNode view, String agency) {
        return view.get("agencies").valueStream().filter(a -> a.get("agency").asString().equals(agency)).findFirst()
                .orElseThrow().get("withdrawal").asString();
    }

    private HttpResponse<String> waybillEvent(String orderNo, String status) throws Exception {
        return client.call("POST", "/api/v1/logistics/waybills/WB" + orderNo + "/events", "enterprise-a",
                "{\"status\": \"" + status + "\", \"at\": \"" + OffsetDateTime.now().minusMinutes(1) + "\", \"location\": \"ZZBW01\"}");
    }

    @Test
    void aClearedDeclarationWithdrawnWhileItsGoodsAreInTheZoneGivesBackEverythingClearanceCommitted() throws Exception {
        Baseline base = baseline();
        String id = client.submit(order(base.buyer(), base.item(), "4008976022343"));
        client.awaitStatus(id, "CLEARED");
        JsonNode cleared = awaitFollowUps(id);
        assertThat(ledgers(base.cleared(), base.item())).isNotEqualTo(base.ledgers()); // committed: billed, counted, deducted
        String orderNo = cleared.get("orderNo").asString();
        assertThat(waybillEvent(orderNo, "PICKED").statusCode()).isEqualTo(200); // picked, still in the zone

        HttpResponse<String> noReason = client.call("POST", "/api/v1/declarations/" + id + "/withdrawal", "enterprise-a", "{}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("/reason");
        assertThat(client.call("POST", "/api/v1/declarations/" + id + "/withdrawal", "enterprise-b",
                "{\"reason\": \"not mine\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> applied = client.call("POST", "/api/v1/declarations/" + id + "/withdrawal", "enterprise-a",
                "{\"reason\": \"the buyer cancelled the order before dispatch\"}");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(202);
        assertThat(E2EClient.json(applied).get("status").asString()).isEqualTo("WITHDRAWING");

        // customs decides the application (CEB623): it waits for a customs officer, whatever logistics knows
        JsonNode pending = awaitWithdrawalReview(id);
        assertThat(pending.get("withdrawalApplication").asString()).isEqualTo("the buyer cancelled the order before dispatch");
        assertThat(E2EClient.json(client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null)).get("status").asString())
                .isEqualTo("WITHDRAWING");
        assertThat(ledgers(base.cleared(), base.item())).isNotEqualTo(base.ledgers()); // nothing restored yet
        assertThat(client.call("POST", "/api/v1/customs/declarations/" + id + "/withdrawal-review", "enterprise-a",
                "{\"decision\": \"APPROVE\", \"reason\": \"mine\"}").statusCode()).isEqualTo(403);
        assertThat(client.call("POST", "/api/v1/customs/declarations/" + id + "/withdrawal-review", "customs-officer",
                "{\"decision\": \"MAYBE\", \"reason\": \"unsure\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> approved = client.call("POST", "/api/v1/customs/declarations/" + id + "/withdrawal-review",
                "customs-officer", "{\"decision\": \"APPROVE\", \"reason\": \"goods verified in ZZBW01\"}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

        JsonNode view = client.awaitStatus(id, "WITHDRAWN");
        assertThat(withdrawal(view, "tax")).isEqualTo("TAX_WITHDRAWN");
        assertThat(withdrawal(view, "forex")).isEqualTo("FOREX_RELEASED");
        assertThat(withdrawal(view, "logistics")).isEqualTo("STOCK_RESTORED");
        assertThat(withdrawal(view, "customs")).isEqualTo("NOTHING_COMMITTED");
        assertThat(withdrawal(view, "inspection")).isEqualTo("NOTHING_COMMITTED");
        assertThat(view.get("withdrawal").get("reason").asString()).isEqualTo("the buyer cancelled the order before dispatch");
        assertThat(view.get("withdrawal").get("restored")).hasSize(5);
        assertThat(view.get("withdrawal").get("completedAt").isString()).isTrue();
        assertThat(view.get("timeline").valueStream().map(e -> e.get("kind").asString()))
                .contains("WITHDRAWAL_REQUESTED", "WITHDRAWAL_APPROVED", "WITHDRAWAL_ACCEPTED", "WITHDRAWAL");
        // customs' review (300) and approval (800), then every agency's restoration (903)
        assertThat(view.get("receipts").valueStream().filter(r -> r.get("kind").asString().equals("WITHDRAWAL"))
                .map(r -> r.get("agency").asString() + " " + r.get("statusCode").asInt()))
                .containsExactlyInAnyOrder("CUSTOMS 300", "CUSTOMS 800", "CUSTOMS 903", "INSPECTION 903", "TAX 903", "FOREX 903",
                        "LOGISTICS 903");
        // the tax bill voided and its hold on the guarantee released, the consumer's and the payer's year, the stock:
        // as before this declaration
        assertThat(ledgers(base.cleared(), base.item())).isEqualTo(base.ledgers());

        // the goods stay in the zone; applying again changes nothing
        HttpResponse<String> leave = waybillEvent(orderNo, "LEFT_ZONE");
        assertThat(leave.statusCode()).isEqualTo(409);
        assertThat(leave.body()).contains("withdrawn");
        HttpResponse<String> again = client.call("POST", "/api/v1/declarations/" + id + "/withdrawal", "enterprise-a",
                "{\"reason\": \"again\"}");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(ledgers(base.cleared(), base.item())).isEqualTo(base.ledgers());
    }

    @Test
    void aDirectImportIsReleasedOnlyOnceItsParcelHasArrivedAtTheSupervisedSite() throws Exception {
        ObjectNode declaration = E2EClient.directImportOfANewBuyer();
        String id = client.submit(declaration);
        // the four other agencies release it; logistics acknowledges it and waits for the parcel (its acknowledgement
        // travels on its own and may come after the others' decisions: awaited too, then checked to be alone)
        JsonNode[] view = new JsonNode[1];
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                view[0] = E2EClient.json(client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null));
                return view[0].get("agencies").valueStream().filter(a -> !a.get("agency").asString().equals("logistics"))
                        .allMatch(a -> a.path("decisionCode").asInt(0) == 800)
                        && view[0].get("agencies").valueStream().anyMatch(a -> a.get("agency").asString().equals("logistics")
                        && a.path("acknowledged").asBoolean());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the other agencies did not release it, or logistics did not acknowledge it: " + view[0], e);
        }
        JsonNode logistics = view[0].get("agencies").valueStream().filter(a -> a.get("agency").asString().equals("logistics"))
                .findFirst().orElseThrow();
        assertThat(logistics.get("acknowledged").asBoolean()).isTrue();
        assertThat(logistics.path("decisionCode").isNumber()).isFalse();
        assertThat(view[0].get("status").asString()).isNotEqualTo("CLEARED");
        assertThat(E2EClient.json(client.call("GET", "/api/v1/logistics/declarations/" + id, "logistics-officer", null))
                .get("summary").get("deferReason").asString()).startsWith("LOG_AWAITING_ARRIVAL");

        // the site's operator records the parcel's arrival: logistics decides again at once, and it clears
        String orderNo = declaration.get("order").get("orderNo").asString();
        HttpResponse<String> arrived = client.call("POST", "/api/v1/logistics/arrivals", "enterprise-a",
                "{\"arrivalNo\": \"RK" + orderNo.substring(3, 15) + "\", \"siteCode\": \"ZZKJ01\", \"billNo\": \"784-12345675\", "
                        + "\"arrivedAt\": \"" + java.time.OffsetDateTime.now().minusMinutes(2) + "\", \"waybills\": [{\"logisticsCode\": \""
                        + declaration.get("logistics").get("logisticsCode").asString() + "\", \"logisticsNo\": \""
                        + declaration.get("logistics").get("logisticsNo").asString() + "\"}]}");
        assertThat(arrived.statusCode()).as(arrived.body()).isEqualTo(200);
        JsonNode cleared = client.awaitStatus(id, "CLEARED");
        assertThat(cleared.get("receipts").valueStream().filter(r -> r.get("agency").asString().equals("LOGISTICS")
                && r.get("kind").asString().equals("DECISION")).findFirst().orElseThrow().get("message").asString())
                .contains("arrived at site ZZKJ01");
    }

    /** Until the return's state at customs is the one given (PENDING: its application waits; ARRIVED: its goods wait). */
    private void awaitReturnAtCustoms(String id, String returnId, String state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> E2EClient.json(client.call("GET",
                        "/api/v1/customs/declarations/" + id, "customs-officer", null)).path("returns").valueStream()
                .anyMatch(r -> r.path("returnId").asString("").equals(returnId) && r.path("state").asString("").equals(state)));
    }

    /** The goods of an approved return reported back in the zone, and customs' officer decides on them. */
    private HttpResponse<String> arriveAndCheck(String id, String returnId, String decision, String reason) throws Exception {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> client.call("POST",
                "/api/v1/logistics/returns/" + returnId + "/arrived", "enterprise-a", null).statusCode() == 200);
        awaitReturnAtCustoms(id, returnId, "ARRIVED");
        return client.call("POST", "/api/v1/customs/declarations/" + id + "/returns/" + returnId + "/review", "customs-officer",
                "{\"decision\": \"" + decision + "\", \"reason\": \"" + reason + "\"}");
    }

    @Test
    void aReturnCustomsRefusesIsNeverReceivedAndItsQuantityMayBeAppliedForAgain() throws Exception {
        Baseline base = baseline();
        String id = client.submit(order(base.buyer(), base.item(), "4008976022343"));
        client.awaitStatus(id, "CLEARED");
        String orderNo = awaitFollowUps(id).get("orderNo").asString();
        assertThat(waybillEvent(orderNo, "PICKED").statusCode()).isEqualTo(200);
        assertThat(waybillEvent(orderNo, "LEFT_ZONE").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> E2EClient.json(
                client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null)).path("leftZoneAt").isString());
        Ledgers shipped = ledgers(base.cleared(), base.item());
        HttpResponse<String> applied = applyReturn(id, "[{\"gnum\": 1, \"quantity\": 2}]", "changed my mind");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(201);
        String returnId = E2EClient.json(applied).get("returnId").asString();
        awaitReturnAtCustoms(id, returnId, "PENDING");
        assertThat(client.call("POST", "/api/v1/customs/declarations/" + id + "/returns/" + returnId + "/review", "enterprise-a",
                "{\"decision\": \"APPROVE\", \"reason\": \"mine\"}").statusCode()).isEqualTo(403);
        HttpResponse<String> refused = client.call("POST", "/api/v1/customs/declarations/" + id + "/returns/" + returnId + "/review",
                "customs-officer", "{\"decision\": \"REFUSE\", \"reason\": \"a change of mind is not a return of goods under §12\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(200);
        assertThat(client.call("POST", "/api/v1/customs/declarations/" + id + "/returns/" + returnId + "/review", "customs-officer",
                "{\"decision\": \"APPROVE\", \"reason\": \"changed my mind\"}").statusCode()).isEqualTo(409);
        JsonNode[] view = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            view[0] = E2EClient.json(client.call("GET", "/api/v1/declarations/" + id + "/returns/" + returnId, "enterprise-a", null));
            return view[0].path("state").asString("").equals("REFUSED");
        });
        assertThat(view[0].get("refusal").asString()).contains("a change of mind is not a return of goods");
        // never received, nothing settled: the ledgers as shipped
        assertThat(client.call("POST", "/api/v1/logistics/returns/" + returnId + "/arrived", "enterprise-a", null).statusCode())
                .isEqualTo(409);
        assertThat(ledgers(base.cleared(), base.item())).isEqualTo(shipped);

        // a refused return does not count: the same quantity may be applied for again; approved, its goods come back
        // opened and used, and customs refuses them on its check: nothing goes back on the account, no tax is voided
        HttpResponse<String> second = applyReturn(id, "[{\"gnum\": 1, \"quantity\": 2}]", "both tins dented in transit");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        String secondId = E2EClient.json(second).get("returnId").asString();
        awaitReturnAtCustoms(id, secondId, "PENDING");
        assertThat(client.call("POST", "/api/v1/customs/declarations/" + id + "/returns/" + secondId + "/review", "customs-officer",
                "{\"decision\": \"APPROVE\", \"reason\": \"dents shown on the photographs\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> failed = arriveAndCheck(id, secondId, "REFUSE", "both tins opened and half used: not fit for resale");
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            view[0] = E2EClient.json(client.call("GET", "/api/v1/declarations/" + id + "/returns/" + secondId, "enterprise-a", null));
            return view[0].path("state").asString("").equals("REFUSED");
        });
        assertThat(view[0].get("refusal").asString()).contains("refused on an officer's check", "not fit for resale");
        assertThat(view[0].get("arrivedAt").isString()).isTrue();
        assertThat(view[0].get("settled")).isEmpty();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> E2EClient.json(client.call("GET",
                        "/api/v1/logistics/returns", "logistics-officer", null)).valueStream()
                .anyMatch(r -> r.path("returnId").asString("").equals(secondId) && r.path("state").asString("").equals("REFUSED")));
        assertThat(ledgers(base.cleared(), base.item())).isEqualTo(shipped);
        assertThat(E2EClient.json(client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null)).get("timeline").valueStream()
                .map(e -> e.get("kind").asString())).contains("RETURN_ARRIVED", "RETURN_CHECK", "RETURN_REFUSED");
    }

    /** The customs case of a declaration once its withdrawal application waits for an officer. */
    private JsonNode awaitWithdrawalReview(String id) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode queue = E2EClient.json(client.call("GET", "/api/v1/customs/declarations?status=WITHDRAWAL_REVIEW&size=200",
                    "customs-officer", null));
            found[0] = queue.get("items").valueStream().filter(c -> c.get("declarationId").asString().equals(id)).findFirst()
                    .orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    @Test
    void aCustomsOfficerRefusesAWithdrawalAndItStaysClearedUntilAnApplicationCustomsApproves() throws Exception {
        Baseline base = baseline();
        String id = client.submit(order(base.buyer(), base.item(), "4008976022343"));
        client.awaitStatus(id, "CLEARED");
        awaitFollowUps(id);
        String committed = ledgers(base.cleared(), base.item()).toString();
        assertThat(client.call("POST", "/api/v1/declarations/" + id + "/withdrawal", "enterprise-a",
                "{\"reason\": \"ordered twice by mistake\"}").statusCode()).isEqualTo(202);
        awaitWithdrawalReview(id);
        HttpResponse<String> refused = client.call("POST", "/api/v1/customs/declarations/" + id + "/withdrawal-review",
                "customs-officer", "{\"decision\": \"REFUSE\", \"reason\": \"the order was delivered to the consignee\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(200);
        // decided: a second decision has nothing to decide
        assertThat(client.call("POST", "/api/v1/customs/declarations/" + id + "/withdrawal-review", "customs-officer",
                "{\"decision\": \"APPROVE\", \"reason\": \"changed my mind\"}").statusCode()).isEqualTo(409);
        JsonNode cleared = client.awaitStatus(id, "CLEARED");
        assertThat(cleared.get("timeline").valueStream().filter(e -> e.get("kind").asString().equals("WITHDRAWAL_REFUSED"))
                .map(e -> e.get("detail").asString()).toList())
                .singleElement().asString().contains("customs refused").contains("the order was delivered to the consignee");
        assertThat(ledgers(base.cleared(), base.item()).toString()).isEqualTo(committed); // nothing restored anywhere

        // applied for again: a new review, approved this time, and withdrawn
        assertThat(client.call("POST", "/api/v1/declarations/" + id + "/withdrawal", "enterprise-a",
                "{\"reason\": \"the consignee refused delivery at the door\"}").statusCode()).isEqualTo(202);
        assertThat(awaitWithdrawalReview(id).get("withdrawalApplication").asString())
                .isEqualTo("the consignee refused delivery at the door");
        assertThat(client.call("POST", "/api/v1/customs/declarations/" + id + "/withdrawal-review", "customs-officer",
                "{\"decision\": \"APPROVE\", \"reason\": \"goods verified in ZZBW01\"}").statusCode()).isEqualTo(200);
        client.awaitStatus(id, "WITHDRAWN");
        assertThat(ledgers(base.cleared(), base.item())).isEqualTo(base.ledgers());
    }

    @Test
    void onceTheGoodsHaveLeftTheZoneOrBeforeReleaseAWithdrawalIsRefusedSayingWhy() throws Exception {
        String item = stockedItem(5);
        String id = client.submit(order(ResidentId.random(), item, "4008976022343"));
        client.awaitStatus(id, "CLEARED");
        String orderNo = awaitFollowUps(id).get("orderNo").asString();
        assertThat(waybillEvent(orderNo, "PICKED").statusCode()).isEqualTo(200);
        assertThat(waybillEvent(orderNo, "LEFT_ZONE").statusCode()).isEqualTo(200);

        // logistics reports the movement to the window, which shows it and refuses a withdrawal from then on
        JsonNode[] view = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            view[0] = E2EClient.json(client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null));
            return view[0].path("leftZoneAt").isString();
        });
        assertThat(view[0].get("timeline").valueStream().filter(e -> e.get("kind").asString().equals("MOVED"))
                .map(e -> e.get("detail").asString()).findFirst().orElseThrow()).startsWith("904 LEFT_ZONE").contains("WB" + orderNo);
        HttpResponse<String> refused = client.call("POST", "/api/v1/declarations/" + id + "/withdrawal", "enterprise-a",
                "{\"reason\": \"too late\"}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("left the bonded zone").contains("return");
        assertThat(E2EClient.json(client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null)).get("status").asString())
                .isEqualTo("CLEARED");
        assertThat(stock(item).onHand()).isEqualByComparingTo("3");

        // before release, a withdrawal is a cancellation: refused, saying so
        String held = client.submit(order(ResidentId.random(), item, RECALLED_BAR_CODE));
        client.awaitStatus(held, "HELD");
        HttpResponse<String> early = client.call("POST", "/api/v1/declarations/" + held + "/withdrawal", "enterprise-a",
                "{\"reason\": \"changed mind\"}");
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("not released yet").contains("/cancellation");
        assertThat(client.call("POST", "/api/v1/declarations/" + held + "/cancellation", "enterprise-a", "{}").statusCode()).isEqualTo(202);
    }

    /** The second or third figure of a ledger row ("tax consumer 2026 600" → column 1 is 2026, column 2 is 600). */
    private static BigDecimal figure(Ledgers ledgers, String label, int column) {
        String row = ledgers.rows().stream().filter(r -> r.startsWith(label + " ")).findFirst().orElseThrow();
        String[] parts = row.split(" ");
        return new BigDecimal(parts[parts.length - 3 + column]);
    }

    private HttpResponse<String> applyReturn(String id, String lines, String reason) throws Exception {
        return client.call("POST", "/api/v1/declarations/" + id + "/returns", "enterprise-a",
                "{\"lines\": " + lines + ", \"reason\": \"" + reason + "\"}");
    }

    @Test
    void partOfAClearedOrderReturnedWithinThirtyDaysVoidsThatTaxGivesTheConsumerItsValueBackAndRestocksOnReceipt() throws Exception {
        Baseline base = baseline();
        String id = client.submit(order(base.buyer(), base.item(), "4008976022343")); // 2 tins at 150, tax 27.30
        client.awaitStatus(id, "CLEARED");
        String orderNo = awaitFollowUps(id).get("orderNo").asString();

        // before the goods leave the zone, it is a withdrawal, not a return
        HttpResponse<String> tooEarly = applyReturn(id, "[{\"gnum\": 1, \"quantity\": 1}]", "damaged tin");
        assertThat(tooEarly.statusCode()).isEqualTo(409);
        assertThat(tooEarly.body()).contains("withdraw");
        assertThat(waybillEvent(orderNo, "PICKED").statusCode()).isEqualTo(200);
        assertThat(waybillEvent(orderNo, "LEFT_ZONE").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> E2EClient.json(
                client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null)).path("leftZoneAt").isString());
        Ledgers shipped = ledgers(base.cleared(), base.item());

        HttpResponse<String> tooMany = applyReturn(id, "[{\"gnum\": 1, \"quantity\": 3}]", "all of it");
        assertThat(tooMany.statusCode()).isEqualTo(422);
        assertThat(tooMany.body()).contains("/lines/0/quantity").contains("2 can still be returned");
        assertThat(applyReturn(id, "[{\"gnum\": 2, \"quantity\": 1}]", "no such line").statusCode()).isEqualTo(422);
        HttpResponse<String> applied = applyReturn(id, "[{\"gnum\": 1, \"quantity\": 1}]", "damaged tin");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(201);
        JsonNode ret = E2EClient.json(applied);
        String returnId = ret.get("returnId").asString();
        assertThat(ret.get("state").asString()).isEqualTo("APPLIED");
        assertThat(applied.headers().firstValue("Location")).hasValue("/api/v1/declarations/" + id + "/returns/" + returnId);

        // customs decides the return (CEB625 → CEB626): until then logistics may not receive the goods
        awaitReturnAtCustoms(id, returnId, "PENDING");
        HttpResponse<String> early = client.call("POST", "/api/v1/logistics/returns/" + returnId + "/arrived", "enterprise-a", null);
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("not approved by customs");
        HttpResponse<String> approved = client.call("POST", "/api/v1/customs/declarations/" + id + "/returns/" + returnId + "/review",
                "customs-officer", "{\"decision\": \"APPROVE\", \"reason\": \"damage shown on the photographs\"}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

        // the goods come back to the zone: customs checks them, and nothing is settled before
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> client.call("POST",
                "/api/v1/logistics/returns/" + returnId + "/arrived", "enterprise-a", null).statusCode() == 200);
        awaitReturnAtCustoms(id, returnId, "ARRIVED");
        JsonNode waiting = E2EClient.json(client.call("GET", "/api/v1/declarations/" + id + "/returns/" + returnId, "enterprise-a", null));
        assertThat(waiting.get("state").asString()).isEqualTo("ARRIVED");
        assertThat(waiting.get("settled")).isEmpty();
        assertThat(ledgers(base.cleared(), base.item())).isEqualTo(shipped);
        assertThat(E2EClient.json(client.call("GET", "/api/v1/customs/declarations?status=RETURN_REVIEW&size=200", "customs-officer", null))
                .get("items").valueStream().map(c -> c.path("declarationId").asString(""))).contains(id);

        // accepted on the check: logistics restocks, tax and the others settle the returned line
        HttpResponse<String> checked = arriveAndCheck(id, returnId, "APPROVE", "tin dented as shown, unopened, fit for resale");
        assertThat(checked.statusCode()).as(checked.body()).isEqualTo(200);
        assertThat(client.call("POST", "/api/v1/customs/declarations/" + id + "/returns/" + returnId + "/review", "customs-officer",
                "{\"decision\": \"REFUSE\", \"reason\": \"twice\"}").statusCode()).isEqualTo(409);
        JsonNode[] view = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            view[0] = E2EClient.json(client.call("GET", "/api/v1/declarations/" + id + "/returns/" + returnId, "enterprise-a", null));
            return view[0].path("state").asString("").equals("COMPLETED");
        });
        assertThat(view[0].get("settled")).hasSize(5);
        JsonNode declaration = E2EClient.json(client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null));
        assertThat(declaration.get("status").asString()).isEqualTo("CLEARED");
        assertThat(declaration.get("timeline").valueStream().map(e -> e.get("kind").asString()))
                .contains("RETURN_REQUESTED", "RETURN_APPROVED", "RETURN_ARRIVED", "RETURN_CHECK", "RETURN_RECEIVED", "RETURN",
                        "RETURN_COMPLETE");
        assertThat(declaration.get("receipts").valueStream().filter(r -> r.get("kind").asString().equals("RETURN")
                && r.get("agency").asString().equals("TAX")).findFirst().orElseThrow().get("message").asString())
                .contains("CNY 13.65 voided").contains("CNY 150.00 no longer counts");

        Ledgers after = ledgers(base.cleared(), base.item());
        assertThat(figure(after, "tax consumer", 2)).isEqualByComparingTo(figure(shipped, "tax consumer", 2).subtract(new BigDecimal("150")));
        // not due yet: the voided tax is no longer held on the guarantee
        assertThat(figure(after, "guarantee", 1)).isEqualByComparingTo(figure(shipped, "guarantee", 1));
        assertThat(figure(after, "guarantee", 2)).isEqualByComparingTo(figure(shipped, "guarantee", 2).subtract(new BigDecimal("13.65")));
        assertThat(figure(after, "stock", 1)).isEqualByComparingTo(figure(shipped, "stock", 1).add(BigDecimal.ONE));
        assertThat(figure(after, "forex payer", 2)).isEqualByComparingTo(figure(shipped, "forex payer", 2));

        // on day 31 after release a return is refused
        Properties user = new Properties();
        user.setProperty("user", "postgres");
        try (Connection db = DriverManager.getConnection(platform.jdbcUrl(), user);
             PreparedStatement back = db.prepareStatement("update declaration.declaration set final_at = final_at - interval '31 days' where id = ?::uuid")) {
            back.setString(1, id);
            assertThat(back.executeUpdate()).isEqualTo(1);
        }
        HttpResponse<String> late = applyReturn(id, "[{\"gnum\": 1, \"quantity\": 1}]", "second tin");
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains("within 30 days of release");
    }

    @Test
    void aDeclarationHeldForInspectionCannotBeAmendedAndTheOfficerDecidesWhatWasFiled() throws Exception {
        Baseline base = baseline();
        ObjectNode first = order(base.buyer(), base.item(), RECALLED_BAR_CODE); // 2 tins of the recalled lot: held
        String id = client.submit(first);
        client.awaitStatus(id, "HELD");
        Ledgers held = ledgers(base.cleared(), base.item());
        assertThat(figure(held, "tax consumer", 2)).isEqualByComparingTo(figure(base.ledgers(), "tax consumer", 2).add(new BigDecimal("300")));

        // version 2 would swap the recalled lot for another and halve the order, every amount to match
        ObjectNode second = first.deepCopy();
        second.put("appType", "CHANGE");
        ObjectNode item = (ObjectNode) second.get("items").get(0);
        item.put("barCode", "4008976022343");
        item.put("quantity", BigDecimal.ONE);
        item.put("qty1", new BigDecimal("0.9"));
        item.put("totalPrice", new BigDecimal("150.00"));
        ObjectNode order = (ObjectNode) second.get("order");
        order.put("goodsValue", new BigDecimal("150.00"));
        order.put("taxTotal", new BigDecimal("13.65"));
        order.put("actualPaid", new BigDecimal("163.65"));
        ((ObjectNode) second.get("payment")).put("amountPaid", new BigDecimal("163.65"));
        ((ObjectNode) second.get("logistics")).put("netWeight", new BigDecimal("0.9"));
        ((ObjectNode) second.get("logistics")).put("grossWeight", new BigDecimal("1.05"));

        // the appType says what the request is; the order cannot change; another enterprise's is not found
        HttpResponse<String> asNew = client.call("PUT", "/api/v1/declarations/" + id, "enterprise-a", first.toString());
        assertThat(asNew.statusCode()).isEqualTo(422);
        assertThat(asNew.body()).contains("/appType");
        ObjectNode otherOrder = second.deepCopy();
        ((ObjectNode) otherOrder.get("order")).put("orderNo", "ORD-ANOTHER-ONE");
        HttpResponse<String> moved = client.call("PUT", "/api/v1/declarations/" + id, "enterprise-a", otherOrder.toString());
        assertThat(moved.statusCode()).isEqualTo(422);
        assertThat(moved.body()).contains("/order/orderNo");
        assertThat(client.call("PUT", "/api/v1/declarations/" + id, "enterprise-b", second.toString()).statusCode()).isIn(404, 422);

        // held for inspection: no amendment until the officer has decided (GACC 2018 No.194 item 11)
        HttpResponse<String> amended = client.call("PUT", "/api/v1/declarations/" + id, "enterprise-a", second.toString());
        assertThat(amended.statusCode()).as(amended.body()).isEqualTo(409);
        assertThat(amended.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(amended.body()).contains("held").contains("194");
        // the officer's case is untouched: still held, on what was filed
        JsonNode inspectionCase = E2EClient.json(client.call("GET", "/api/v1/inspection/declarations/" + id, "inspection-officer", null));
        assertThat(inspectionCase.get("summary").get("status").asString()).isEqualTo("INSPECTION");
        assertThat(inspectionCase.get("summary").get("reasonCode").asString()).isEqualTo("RECALL_FORMULA_LOT_2026");
        assertThat(inspectionCase.get("reviews")).isEmpty();
        assertThat(inspectionCase.get("receipts").valueStream().filter(r -> r.get("kind").asString().equals("DECISION")).count())
                .isEqualTo(1);
        JsonNode view = E2EClient.json(client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null));
        assertThat(view.get("status").asString()).isEqualTo("HELD");
        assertThat(view.path("versions").size()).isLessThanOrEqualTo(1);
        assertThat(ledgers(base.cleared(), base.item())).isEqualTo(held);

        // the officer rejects the recalled lot: what it reserved is released exactly
        HttpResponse<String> rejected = client.call("POST", "/api/v1/inspection/declarations/" + id + "/review", "inspection-officer",
                "{\"decision\": \"REJECT\", \"reason\": \"recalled lot confirmed\"}");
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        client.awaitStatus(id, "REJECTED");
        awaitFollowUps(id);
        assertThat(ledgers(base.cleared(), base.item())).isEqualTo(base.ledgers());
        // once final, no more amendments
        HttpResponse<String> late = client.call("PUT", "/api/v1/declarations/" + id, "enterprise-a", second.toString());
        assertThat(late.statusCode()).isEqualTo(409);
    }

    /** {@code tins} tins of formula at CNY 150 (tax 9.1 %) for this buyer from this bonded account, every amount to match. */
    static ObjectNode orderOf(String buyerId, String itemRecordNo, int tins) {
        ObjectNode json = order(buyerId, itemRecordNo, "4008976022343");
        BigDecimal n = BigDecimal.valueOf(tins);
        BigDecimal goods = new BigDecimal("150.00").multiply(n);
        BigDecimal tax = goods.multiply(new BigDecimal("0.091")).setScale(2, java.math.RoundingMode.HALF_UP);
        ObjectNode item = (ObjectNode) json.get("items").get(0);
        item.put("quantity", n);
        item.put("qty1", new BigDecimal("0.9").multiply(n));
        item.put("totalPrice", goods);
        ObjectNode order = (ObjectNode) json.get("order");
        order.put("goodsValue", goods);
        order.put("taxTotal", tax);
        order.put("actualPaid", goods.add(tax));
        ((ObjectNode) json.get("payment")).put("amountPaid", goods.add(tax));
        ((ObjectNode) json.get("logistics")).put("netWeight", new BigDecimal("0.9").multiply(n));
        ((ObjectNode) json.get("logistics")).put("grossWeight", new BigDecimal("1.05").multiply(n));
        return json;
    }

    @Test
    void aConsumerAtTheAnnualLimitCanBuyAgainOnceSomethingIsReturned() throws Exception {
        String item = stockedItem(200);
        String buyer = ResidentId.random();
        List<String> cleared = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // 5 × 29 tins × CNY 150 = 21,750 of the CNY 26,000 year
            String id = client.submit(orderOf(buyer, item, 29));
            client.awaitStatus(id, "CLEARED");
            cleared.add(id);
        }
        JsonNode refused = client.awaitStatus(client.submit(orderOf(buyer, item, 29)), "REJECTED"); // 26,100
        assertThat(refused.get("receipts").valueStream().filter(r -> r.get("agency").asString().equals("TAX")
                && r.get("kind").asString().equals("DECISION")).findFirst().orElseThrow().get("reasonCode").asString())
                .isEqualTo("TAX_ANNUAL_LIMIT");

        // one tin of the first order comes back: CNY 150 leaves the year
        String first = cleared.getFirst();
        String orderNo = awaitFollowUps(first).get("orderNo").asString();
        assertThat(waybillEvent(orderNo, "PICKED").statusCode()).isEqualTo(200);
        assertThat(waybillEvent(orderNo, "LEFT_ZONE").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> E2EClient.json(
                client.call("GET", "/api/v1/declarations/" + first, "enterprise-a", null)).path("leftZoneAt").isString());
        HttpResponse<String> applied = applyReturn(first, "[{\"gnum\": 1, \"quantity\": 1}]", "one tin dented");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(201);
        String returnId = E2EClient.json(applied).get("returnId").asString();
        awaitReturnAtCustoms(first, returnId, "PENDING");
        assertThat(client.call("POST", "/api/v1/customs/declarations/" + first + "/returns/" + returnId + "/review", "customs-officer",
                "{\"decision\": \"APPROVE\", \"reason\": \"dent shown on the photographs\"}").statusCode()).isEqualTo(200);
        assertThat(arriveAndCheck(first, returnId, "APPROVE", "one dented tin, unopened").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> E2EClient.json(client.call("GET",
                "/api/v1/declarations/" + first + "/returns/" + returnId, "enterprise-a", null)).path("state").asString("").equals("COMPLETED"));

        // 21,600 + 4,350 = 25,950: the same order now fits the year
        client.awaitStatus(client.submit(orderOf(buyer, item, 29)), "CLEARED");
    }
}

package org.singlewindow.logistics;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationCancelled;
import org.singlewindow.contract.DeclarationWithdrawalApproved;
import org.singlewindow.contract.DeclarationWithdrawalRequested;
import org.singlewindow.contract.DeclarationWithdrawn;
import org.singlewindow.contract.DeclarationReturnApproved;
import org.singlewindow.contract.DeclarationReturnRequested;
import org.singlewindow.contract.DeclarationReturnRefused;
import org.singlewindow.contract.DeclarationReturned;
import org.singlewindow.contract.ReturnLine;
import org.singlewindow.contract.DeclarationConcluded;
import org.singlewindow.contract.Outcome;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
import org.singlewindow.contract.Topology;
import org.singlewindow.infra.embedded.StateColumns;
import org.singlewindow.infra.embedded.TestInfrastructure;
import org.singlewindow.logistics.returns.GoodsReturnState;
import org.singlewindow.logistics.stock.StockReservationState;
import org.singlewindow.logistics.waybill.WaybillEvents;
import org.singlewindow.infra.embedded.Tokens;
import org.singlewindow.kit.Pruning;
import org.singlewindow.agency.AgencyIntake;
import org.singlewindow.agency.DeferredDecisions;
import org.singlewindow.kit.messaging.IncomingMessage;
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
 * The bonded warehouse accounts against a real PostgreSQL, through the service's own intake and API:
 * the last units are never oversold, a stock-in is idempotent and validated, every outcome is settled
 * exactly once, and a redelivered message changes nothing.
 */
@SpringBootTest(classes = LogisticsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "spring.datasource.hikari.maximum-pool-size=60"})
class BondedStockIT {

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
    Pruning pruning;
    @Autowired
    DeferredDecisions deferredDecisions;
    @Autowired
    AgencyIntake intake;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> call(String method, String path, String user, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + tokens.fresh(user))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String stockedItem(int units) throws Exception {
        String item = "IT" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
        HttpResponse<String> in = call("POST", "/api/v1/logistics/stock-ins", "enterprise-a",
                "{\"warehouseCode\": \"ZZBW01\", \"ownerCode\": \"4101960002\", \"items\": [{\"itemRecordNo\": \"" + item + "\", \"quantity\": " + units
                        + ", \"batchNo\": \"B1\"}]}", UUID.randomUUID().toString());
        assertThat(in.statusCode()).as(in.body()).isEqualTo(201);
        return item;
    }

    record Level(BigDecimal onHand, BigDecimal reserved) {
    }

    private Level level(String item) {
        return jdbc.sql("select on_hand, reserved from stock_account where warehouse_code = 'ZZBW01' and item_record_no = ?")
                .param(item).query(Level.class).single();
    }

    private static DeclarationSubmitted declaration(String item, int quantity) {
        ObjectNode json = Samples.declaration();
        ((ObjectNode) json.get("items").get(0)).put("itemRecordNo", item);
        ((ObjectNode) json.get("items").get(0)).put("quantity", BigDecimal.valueOf(quantity));
        return new DeclarationSubmitted(UUID.randomUUID(), "4101960005", OffsetDateTime.now(),
                Json.mapper().treeToValue(json, Declaration.class));
    }

    private void deliver(String type, UUID declarationId, Object body) {
        tx.executeWithoutResult(s -> intake.handle(new IncomingMessage(UUID.randomUUID().toString(), type,
                UUID.randomUUID().toString(), declarationId, Json.mapper().writeValueAsBytes(body))));
    }

    private String decision(UUID id) {
        return jdbc.sql("select status || ' ' || reason_code from sent_receipt where declaration_id = ? and kind = 'DECISION' order by decided_at")
                .param(id).query(String.class).list().getFirst();
    }

    /** States are types: each of logistics's state columns allows exactly its Java enum's values. */
    @Test
    void everyStateColumnAllowsExactlyItsJavaEnum() {
        assertThat(allowed("stock_reservation_state_check")).isEqualTo(StateColumns.names(StockReservationState.values()));
        assertThat(allowed("goods_return_state_check")).isEqualTo(StateColumns.names(GoodsReturnState.values()));
        assertThat(allowed("waybill_event_status_check")).isEqualTo(StateColumns.names(WaybillEvents.Status.values()));
    }

    private java.util.Set<String> allowed(String constraint) {
        return StateColumns.allowed(jdbc.sql(StateColumns.DEFINITION).param(constraint).query(String.class).single());
    }

    @Test
    void sixtyConcurrentDeclarationsForTheLastTenUnitsSellExactlyTen() throws Exception {
        String item = stockedItem(10);
        List<DeclarationSubmitted> declarations = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            declarations.add(declaration(item, 1));
        }
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Callable<Void>> calls = new ArrayList<>();
            for (DeclarationSubmitted d : declarations) {
                calls.add(() -> {
                    deliver(Topology.DECLARATION_SUBMITTED, d.declarationId(), d);
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(calls)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> decisions = declarations.stream().map(d -> decision(d.declarationId())).toList();
        assertThat(decisions.stream().filter(d -> d.equals("RELEASED OK"))).hasSize(10);
        assertThat(decisions.stream().filter(d -> d.equals("REJECTED LOG_STOCK_SHORT"))).hasSize(50);
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("10.0000"), new BigDecimal("10.0000")));

        // the ten leave the zone one by one: stock never negative, the accounts exact
        for (DeclarationSubmitted d : declarations) {
            if (decision(d.declarationId()).equals("RELEASED OK")) {
                deliver(Topology.DECLARATION_CONCLUDED, d.declarationId(),
                        new DeclarationConcluded(d.declarationId(), Outcome.CLEARED, OffsetDateTime.now()));
            }
        }
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("0.0000"), new BigDecimal("0.0000")));
        assertThat(jdbc.sql("select count(*) from stock_movement where item_record_no = ? and kind = 'DEDUCT'").param(item)
                .query(Long.class).single()).isEqualTo(10);
    }

    @Test
    void rejectionAndCancellationRestoreTheStockExactlyAndRedeliveriesChangeNothing() throws Exception {
        String item = stockedItem(5);
        DeclarationSubmitted rejected = declaration(item, 2);
        DeclarationSubmitted cancelled = declaration(item, 3);
        deliver(Topology.DECLARATION_SUBMITTED, rejected.declarationId(), rejected);
        deliver(Topology.DECLARATION_SUBMITTED, cancelled.declarationId(), cancelled);
        deliver(Topology.DECLARATION_SUBMITTED, cancelled.declarationId(), cancelled); // redelivered: no second reservation
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("5.0000"), new BigDecimal("5.0000")));

        var rejection = new DeclarationConcluded(rejected.declarationId(), Outcome.REJECTED, OffsetDateTime.now());
        var cancellation = new DeclarationCancelled(cancelled.declarationId(), "withdrawn", OffsetDateTime.now());
        for (int i = 0; i < 2; i++) {
            deliver(Topology.DECLARATION_CONCLUDED, rejected.declarationId(), rejection);
            deliver(Topology.DECLARATION_CANCELLED, cancelled.declarationId(), cancellation);
        }
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("5.0000"), new BigDecimal("0.0000")));
        for (UUID id : List.of(rejected.declarationId(), cancelled.declarationId())) {
            assertThat(jdbc.sql("select reason_code from sent_receipt where declaration_id = ? and kind = 'SETTLEMENT'")
                    .param(id).query(String.class).list()).containsExactly("STOCK_RESTORED");
        }
        assertThat(jdbc.sql("select count(*) from stock_movement where item_record_no = ? and kind = 'RESTORE'").param(item)
                .query(Long.class).single()).isEqualTo(2);

        // once a settled case is older than the retention, the agency's copy of the declaration (a person's
        // data among it) is dropped; the case, its receipts and the stock movements stay
        jdbc.sql("update received_declaration set settled_at = settled_at - interval '31 days' where declaration_id = ?")
                .param(rejected.declarationId()).update();
        assertThat(pruning.prune().get("received-payloads")).isGreaterThanOrEqualTo(1);
        String payloadGone = "select payload is null from received_declaration where declaration_id = ?";
        assertThat(jdbc.sql(payloadGone).param(rejected.declarationId()).query(Boolean.class).single()).isTrue();
        assertThat(jdbc.sql(payloadGone).param(cancelled.declarationId()).query(Boolean.class).single()).isFalse();
        assertThat(jdbc.sql("select count(*) from sent_receipt where declaration_id = ?").param(rejected.declarationId())
                .query(Long.class).single()).isGreaterThanOrEqualTo(3);
    }

    private HttpResponse<String> waybillEvent(DeclarationSubmitted d, String status) throws Exception {
        return call("POST", "/api/v1/logistics/waybills/" + d.declaration().logistics().logisticsNo() + "/events", "enterprise-a",
                "{\"status\": \"" + status + "\", \"at\": \"" + OffsetDateTime.now().minusMinutes(1) + "\"}", null);
    }

    private List<String> sent(UUID id, String kind) {
        return jdbc.sql("select status || ' ' || reason_code from sent_receipt where declaration_id = ? and kind = ? order by decided_at")
                .params(id, kind).query(String.class).list();
    }

    @Test
    void logisticsAcceptsAWithdrawalWhileTheGoodsAreInTheZoneAndThenKeepsThemThere() throws Exception {
        String item = stockedItem(5);
        DeclarationSubmitted d = declaration(item, 2);
        deliver(Topology.DECLARATION_SUBMITTED, d.declarationId(), d);
        deliver(Topology.DECLARATION_CONCLUDED, d.declarationId(), new DeclarationConcluded(d.declarationId(), Outcome.CLEARED, OffsetDateTime.now()));
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("3.0000"), new BigDecimal("0.0000")));
        assertThat(waybillEvent(d, "PICKED").statusCode()).isEqualTo(200);

        // the application itself is customs' to decide: logistics waits for its approval
        deliver(Topology.DECLARATION_WITHDRAWAL_REQUESTED, d.declarationId(),
                new DeclarationWithdrawalRequested(d.declarationId(), "order cancelled", OffsetDateTime.now()));
        assertThat(sent(d.declarationId(), "WITHDRAWAL")).isEmpty();
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("3.0000"), new BigDecimal("0.0000")));
        var approved = new DeclarationWithdrawalApproved(d.declarationId(), "order cancelled", OffsetDateTime.now());
        deliver(Topology.DECLARATION_WITHDRAWAL_APPROVED, d.declarationId(), approved);
        deliver(Topology.DECLARATION_WITHDRAWAL_APPROVED, d.declarationId(), approved); // delivered twice: answered once
        deliver(Topology.DECLARATION_WITHDRAWN, d.declarationId(), new DeclarationWithdrawn(d.declarationId(), "order cancelled", OffsetDateTime.now()));
        assertThat(sent(d.declarationId(), "WITHDRAWAL")).containsExactly("WITHDRAWN STOCK_RESTORED");
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("5.0000"), new BigDecimal("0.0000")));
        assertThat(jdbc.sql("select count(*) from stock_movement where item_record_no = ? and kind = 'RESTORE'").param(item)
                .query(Long.class).single()).isEqualTo(1);

        // withdrawn: the goods may not leave
        HttpResponse<String> leave = waybillEvent(d, "LEFT_ZONE");
        assertThat(leave.statusCode()).isEqualTo(409);
        assertThat(leave.body()).contains("withdrawn after release");
        assertThat(sent(d.declarationId(), "MOVEMENT")).isEmpty();
    }

    @Test
    void onceTheGoodsLeftTheZoneLogisticsRefusesAWithdrawalAndTheWindowIsTold() throws Exception {
        String item = stockedItem(5);
        DeclarationSubmitted d = declaration(item, 2);
        deliver(Topology.DECLARATION_SUBMITTED, d.declarationId(), d);
        deliver(Topology.DECLARATION_CONCLUDED, d.declarationId(), new DeclarationConcluded(d.declarationId(), Outcome.CLEARED, OffsetDateTime.now()));
        assertThat(waybillEvent(d, "PICKED").statusCode()).isEqualTo(200);
        assertThat(waybillEvent(d, "LEFT_ZONE").statusCode()).isEqualTo(200);
        assertThat(sent(d.declarationId(), "MOVEMENT")).containsExactly("LEFT_ZONE LEFT_ZONE");

        // customs approved it meanwhile, but the goods had left: refused
        deliver(Topology.DECLARATION_WITHDRAWAL_APPROVED, d.declarationId(),
                new DeclarationWithdrawalApproved(d.declarationId(), "too late", OffsetDateTime.now()));
        assertThat(sent(d.declarationId(), "WITHDRAWAL")).containsExactly("REJECTED GOODS_LEFT_ZONE");
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("3.0000"), new BigDecimal("0.0000")));
        assertThat(jdbc.sql("select withdrawn_at is null from received_declaration where declaration_id = ?")
                .param(d.declarationId()).query(Boolean.class).single()).isTrue();

        // a declaration that was never cleared here has nothing to withdraw
        DeclarationSubmitted open = declaration(item, 1);
        deliver(Topology.DECLARATION_SUBMITTED, open.declarationId(), open);
        deliver(Topology.DECLARATION_WITHDRAWAL_APPROVED, open.declarationId(),
                new DeclarationWithdrawalApproved(open.declarationId(), "not released", OffsetDateTime.now()));
        assertThat(sent(open.declarationId(), "WITHDRAWAL")).containsExactly("REJECTED NOT_CLEARED");
        deliver(Topology.DECLARATION_CANCELLED, open.declarationId(), new DeclarationCancelled(open.declarationId(), "x", OffsetDateTime.now()));
    }

    @Test
    void returnedGoodsReportedInTimeGoBackOnTheOwnersAccountOnceCustomsAcceptedThemAndALapsedReturnIsRefusedAndListedAsOverdue()
            throws Exception {
        String item = stockedItem(5);
        DeclarationSubmitted d = declaration(item, 3);
        deliver(Topology.DECLARATION_SUBMITTED, d.declarationId(), d);
        deliver(Topology.DECLARATION_CONCLUDED, d.declarationId(), new DeclarationConcluded(d.declarationId(), Outcome.CLEARED, OffsetDateTime.now()));
        assertThat(waybillEvent(d, "PICKED").statusCode()).isEqualTo(200);
        assertThat(waybillEvent(d, "LEFT_ZONE").statusCode()).isEqualTo(200);
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("2.0000"), new BigDecimal("0.0000")));

        UUID inTime = UUID.randomUUID();
        List<ReturnLine> two = List.of(new ReturnLine(1, item, new BigDecimal("2"), new BigDecimal("3")));
        deliver(Topology.DECLARATION_RETURN_REQUESTED, d.declarationId(), new DeclarationReturnRequested(d.declarationId(), inTime,
                two, "wrong size", OffsetDateTime.now().plusDays(45), OffsetDateTime.now()));
        assertThat(call("POST", "/api/v1/logistics/returns/" + inTime + "/arrived", "enterprise-b", null, null).statusCode()).isEqualTo(404);
        // not before customs approved the return (CEB626)
        HttpResponse<String> early = call("POST", "/api/v1/logistics/returns/" + inTime + "/arrived", "enterprise-a", null, null);
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("not approved by customs");
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("2.0000"), new BigDecimal("0.0000")));
        deliver(Topology.DECLARATION_RETURN_APPROVED, d.declarationId(),
                new DeclarationReturnApproved(d.declarationId(), inTime, OffsetDateTime.now()));
        for (int i = 0; i < 2; i++) { // reported twice: arrived once, and nothing back on the account before customs' check
            HttpResponse<String> arrived = call("POST", "/api/v1/logistics/returns/" + inTime + "/arrived", "enterprise-a", null, null);
            assertThat(arrived.statusCode()).as(arrived.body()).isEqualTo(200);
            assertThat(arrived.body()).contains("\"state\":\"ARRIVED\"", "\"reportedBy\":\"" + d.enterpriseId() + "\"");
        }
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("2.0000"), new BigDecimal("0.0000")));
        assertThat(sent(d.declarationId(), "RETURN")).containsExactly("ACCEPTED GOODS_ARRIVED");
        // customs accepted the goods on its check: back on the owner's account, once
        for (int i = 0; i < 2; i++) {
            deliver(Topology.DECLARATION_RETURNED, d.declarationId(), new DeclarationReturned(d.declarationId(), inTime, two, OffsetDateTime.now()));
        }
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("4.0000"), new BigDecimal("0.0000")));
        assertThat(sent(d.declarationId(), "RETURN")).containsExactly("ACCEPTED GOODS_ARRIVED", "RETURNED STOCK_RETURNED");
        assertThat(call("GET", "/api/v1/logistics/returns", "logistics-officer", null, null).body())
                .contains("\"returnId\":\"" + inTime + "\"").contains("\"state\":\"RECEIVED\"");

        // refused by customs on arrival: closed, nothing goes back, and a later report is refused
        UUID refused = UUID.randomUUID();
        deliver(Topology.DECLARATION_RETURN_REQUESTED, d.declarationId(), new DeclarationReturnRequested(d.declarationId(), refused,
                List.of(new ReturnLine(1, item, BigDecimal.ONE, new BigDecimal("3"))), "changed my mind", OffsetDateTime.now().plusDays(45),
                OffsetDateTime.now()));
        deliver(Topology.DECLARATION_RETURN_APPROVED, d.declarationId(),
                new DeclarationReturnApproved(d.declarationId(), refused, OffsetDateTime.now()));
        assertThat(call("POST", "/api/v1/logistics/returns/" + refused + "/arrived", "enterprise-a", null, null).statusCode()).isEqualTo(200);
        deliver(Topology.DECLARATION_RETURN_REFUSED, d.declarationId(), new DeclarationReturnRefused(d.declarationId(), refused,
                OffsetDateTime.now(), "returned goods refused on an officer's check: seal broken, not fit for resale"));
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("4.0000"), new BigDecimal("0.0000")));
        assertThat(jdbc.sql("select state || ' ' || refusal from goods_return where return_id = ?").param(refused).query(String.class).single())
                .isEqualTo("REFUSED returned goods refused on an officer's check: seal broken, not fit for resale");
        HttpResponse<String> again = call("POST", "/api/v1/logistics/returns/" + refused + "/arrived", "enterprise-a", null, null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("refused by customs", "seal broken");

        UUID lapsed = UUID.randomUUID();
        deliver(Topology.DECLARATION_RETURN_REQUESTED, d.declarationId(), new DeclarationReturnRequested(d.declarationId(), lapsed,
                List.of(new ReturnLine(1, item, BigDecimal.ONE, new BigDecimal("3"))), "late", OffsetDateTime.now().minusDays(1),
                OffsetDateTime.now().minusDays(46)));
        deliver(Topology.DECLARATION_RETURN_APPROVED, d.declarationId(),
                new DeclarationReturnApproved(d.declarationId(), lapsed, OffsetDateTime.now().minusDays(40)));
        HttpResponse<String> late = call("POST", "/api/v1/logistics/returns/" + lapsed + "/arrived", "enterprise-a", null, null);
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains("lapsed");
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("4.0000"), new BigDecimal("0.0000")));
        HttpResponse<String> overdue = call("GET", "/api/v1/logistics/returns?overdue=true", "logistics-officer", null, null);
        assertThat(overdue.statusCode()).isEqualTo(200);
        assertThat(overdue.body()).contains(lapsed.toString()).doesNotContain(inTime.toString()).contains("\"overdue\":true");
        assertThat(call("GET", "/api/v1/logistics/returns", "enterprise-a", null, null).statusCode()).isEqualTo(403);
    }

    @Test
    void anAmendmentReleasesWhatTheEarlierVersionReservedAndIsDecidedAgainOnceAndLateVersionsChangeNothing() throws Exception {
        String item = stockedItem(5);
        DeclarationSubmitted first = declaration(item, 3);
        deliver(Topology.DECLARATION_SUBMITTED, first.declarationId(), first);
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("5.0000"), new BigDecimal("3.0000")));

        ObjectNode json = (ObjectNode) Json.mapper().valueToTree(first.declaration());
        ((ObjectNode) json.get("items").get(0)).put("quantity", BigDecimal.ONE);
        DeclarationSubmitted second = new DeclarationSubmitted(first.declarationId(), first.enterpriseId(), OffsetDateTime.now(),
                Json.mapper().treeToValue(json, Declaration.class), 2);
        deliver(Topology.DECLARATION_AMENDED, second.declarationId(), second);
        deliver(Topology.DECLARATION_AMENDED, second.declarationId(), second); // redelivered: decided once
        deliver(Topology.DECLARATION_SUBMITTED, first.declarationId(), first); // version 1 again, late: nothing
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("5.0000"), new BigDecimal("1.0000")));
        assertThat(jdbc.sql("select kind || ' ' || status || ' v' || version from sent_receipt where declaration_id = ? order by decided_at")
                .param(first.declarationId()).query(String.class).list())
                .containsExactly("ACKNOWLEDGEMENT ACCEPTED v1", "DECISION RELEASED v1", "ACKNOWLEDGEMENT ACCEPTED v2", "DECISION RELEASED v2");
        assertThat(jdbc.sql("select count(*) from waybill where declaration_id = ?").param(first.declarationId())
                .query(Long.class).single()).isOne();

        // the outcome settles what version 2 reserved
        deliver(Topology.DECLARATION_CONCLUDED, first.declarationId(),
                new DeclarationConcluded(first.declarationId(), Outcome.CLEARED, OffsetDateTime.now()));
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("4.0000"), new BigDecimal("0.0000")));
        assertThat(sent(first.declarationId(), "SETTLEMENT")).containsExactly("SETTLED STOCK_DEDUCTED");
    }

    @Test
    void aRejectionThatArrivesBeforeTheDeclarationReservesNothing() throws Exception {
        String item = stockedItem(4);
        DeclarationSubmitted late = declaration(item, 2);
        deliver(Topology.DECLARATION_CONCLUDED, late.declarationId(),
                new DeclarationConcluded(late.declarationId(), Outcome.REJECTED, OffsetDateTime.now()));
        deliver(Topology.DECLARATION_SUBMITTED, late.declarationId(), late);
        assertThat(level(item)).isEqualTo(new Level(new BigDecimal("4.0000"), new BigDecimal("0.0000")));
        assertThat(jdbc.sql("select kind || ' ' || reason_code from sent_receipt where declaration_id = ? order by decided_at")
                .param(late.declarationId()).query(String.class).list())
                .containsExactly("ACKNOWLEDGEMENT RECEIVED", "DECISION WINDOW_REJECTED", "SETTLEMENT NOTHING_RESERVED");
    }

    /** A direct import (9610): no bonded account; {@code site} the supervised site its list names, or null. */
    private static DeclarationSubmitted directImport(String site) {
        ObjectNode json = Samples.directImport();
        ((ObjectNode) json.get("logistics")).put("warehouseCode", site);
        return new DeclarationSubmitted(UUID.randomUUID(), "4101960005", OffsetDateTime.now(),
                Json.mapper().treeToValue(json, Declaration.class));
    }

    private HttpResponse<String> arrival(String user, String site, DeclarationSubmitted... parcels) throws Exception {
        StringBuilder waybills = new StringBuilder();
        for (DeclarationSubmitted d : parcels) {
            waybills.append(waybills.isEmpty() ? "" : ", ").append("{\"logisticsCode\": \"").append(d.declaration().logistics().logisticsCode())
                    .append("\", \"logisticsNo\": \"").append(d.declaration().logistics().logisticsNo()).append("\"}");
        }
        return call("POST", "/api/v1/logistics/arrivals", user, "{\"arrivalNo\": \"RK" + UUID.randomUUID().toString().substring(0, 8)
                + "\", \"siteCode\": \"" + site + "\", \"billNo\": \"784-12345675\", \"arrivedAt\": \""
                + OffsetDateTime.now().minusMinutes(5) + "\", \"waybills\": [" + waybills + "]}", null);
    }

    @Test
    void aDirectImportIsReleasedOnceItsParcelArrivedAtTheSiteWhicheverComesFirstAndNeedsNoBondedStock() throws Exception {
        DeclarationSubmitted waiting = directImport("ZZKJ01");
        deliver(Topology.DECLARATION_SUBMITTED, waiting.declarationId(), waiting);
        // no decision before the arrival: the decision waits for it
        assertThat(jdbc.sql("select count(*) from sent_receipt where declaration_id = ? and kind = 'DECISION'")
                .param(waiting.declarationId()).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select defer_reason from received_declaration where declaration_id = ?").param(waiting.declarationId())
                .query(String.class).single()).startsWith("LOG_AWAITING_ARRIVAL").contains("no arrival record yet");

        // only the site's operator records arrivals, and a record is checked
        HttpResponse<String> stranger = arrival("enterprise-b", "ZZKJ01", waiting);
        assertThat(stranger.statusCode()).isEqualTo(400);
        assertThat(stranger.body()).contains("/siteCode", "must be a supervised site you operate");
        HttpResponse<String> twice = arrival("enterprise-a", "ZZKJ01", waiting, waiting);
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("/waybills/1", "named twice");
        HttpResponse<String> empty = call("POST", "/api/v1/logistics/arrivals", "enterprise-a",
                "{\"arrivalNo\": \"RK1\", \"siteCode\": \"ZZKJ01\", \"waybills\": []}", null);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("/arrivedAt", "/waybills");

        // arrived: decided again at once and released, with nothing reserved
        HttpResponse<String> arrived = arrival("enterprise-a", "ZZKJ01", waiting);
        assertThat(arrived.statusCode()).as(arrived.body()).isEqualTo(200);
        assertThat(arrived.body()).contains("\"recorded\":1", "\"state\":\"RECORDED\"");
        deferredDecisions.retryDue();
        assertThat(decision(waiting.declarationId())).isEqualTo("RELEASED OK");
        assertThat(jdbc.sql("select message from sent_receipt where declaration_id = ? and kind = 'DECISION'")
                .param(waiting.declarationId()).query(String.class).single()).contains("arrived at site ZZKJ01");
        assertThat(arrival("enterprise-a", "ZZKJ01", waiting).body()).contains("\"alreadyRecorded\":1", "ALREADY_RECORDED");
        deliver(Topology.DECLARATION_CONCLUDED, waiting.declarationId(),
                new DeclarationConcluded(waiting.declarationId(), Outcome.CLEARED, OffsetDateTime.now()));
        assertThat(jdbc.sql("select count(*) from stock_reservation where declaration_id = ?").param(waiting.declarationId())
                .query(Long.class).single()).isZero();
        assertThat(waybillEvent(waiting, "PICKED").statusCode()).isEqualTo(200);
        assertThat(waybillEvent(waiting, "LEFT_ZONE").statusCode()).isEqualTo(200);

        // an arrival before its list: the list is released at once
        DeclarationSubmitted early = directImport(null);
        assertThat(arrival("enterprise-a", "ZZKJ01", early).statusCode()).isEqualTo(200);
        deliver(Topology.DECLARATION_SUBMITTED, early.declarationId(), early);
        assertThat(decision(early.declarationId())).isEqualTo("RELEASED OK");

        // who sees an arrival: a logistics officer, the site's operator; not a stranger
        String byWaybill = "/api/v1/logistics/arrivals?logisticsNo=" + early.declaration().logistics().logisticsNo();
        assertThat(call("GET", byWaybill, "logistics-officer", null, null).body()).contains("ZZKJ01");
        assertThat(call("GET", byWaybill, "enterprise-a", null, null).body()).contains("ZZKJ01");
        assertThat(call("GET", byWaybill, "enterprise-b", null, null).body()).isEqualTo("[]");
        assertThat(call("GET", "/api/v1/logistics/arrivals", "logistics-officer", null, null).statusCode()).isEqualTo(400);

        // returned goods of a direct import are accepted at the site: nothing to restock
        UUID back = UUID.randomUUID();
        List<ReturnLine> line = List.of(new ReturnLine(1, null, BigDecimal.ONE, new BigDecimal("2")));
        deliver(Topology.DECLARATION_RETURN_REQUESTED, waiting.declarationId(), new DeclarationReturnRequested(waiting.declarationId(),
                back, line, "wrong colour", OffsetDateTime.now().plusDays(45), OffsetDateTime.now()));
        deliver(Topology.DECLARATION_RETURN_APPROVED, waiting.declarationId(),
                new DeclarationReturnApproved(waiting.declarationId(), back, OffsetDateTime.now()));
        assertThat(call("POST", "/api/v1/logistics/returns/" + back + "/arrived", "enterprise-a", null, null).statusCode()).isEqualTo(200);
        deliver(Topology.DECLARATION_RETURNED, waiting.declarationId(),
                new DeclarationReturned(waiting.declarationId(), back, line, OffsetDateTime.now()));
        assertThat(sent(waiting.declarationId(), "RETURN")).containsExactly("ACCEPTED GOODS_ARRIVED", "RETURNED GOODS_AT_SITE");
    }

    @Test
    void aStockInIsIdempotentAndValidated() throws Exception {
        String body = "{\"warehouseCode\": \"ZZBW01\", \"ownerCode\": \"4101960002\", \"items\": [{\"itemRecordNo\": \"IDEMP1\", \"quantity\": 7, \"batchNo\": \"B7\"}]}";
        String key = UUID.randomUUID().toString();
        BigDecimal before = jdbc.sql("select coalesce(sum(on_hand), 0) from stock_account where item_record_no = 'IDEMP1'")
                .query(BigDecimal.class).single();
        assertThat(call("POST", "/api/v1/logistics/stock-ins", "enterprise-a", body, key).statusCode()).isEqualTo(201);
        assertThat(call("POST", "/api/v1/logistics/stock-ins", "enterprise-a", body, key).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/api/v1/logistics/stock-ins", "enterprise-a", body.replace("7", "8"), key).statusCode()).isEqualTo(409);
        assertThat(level("IDEMP1").onHand()).isEqualByComparingTo(before.add(BigDecimal.valueOf(7)));

        assertThat(call("POST", "/api/v1/logistics/stock-ins", "enterprise-a", body, null).statusCode()).isEqualTo(400);
        HttpResponse<String> invalid = call("POST", "/api/v1/logistics/stock-ins", "enterprise-a",
                "{\"warehouseCode\": \"\", \"items\": [{\"itemRecordNo\": \"A\", \"quantity\": -1, \"batchNo\": \"B\"},"
                        + " {\"itemRecordNo\": \"A\", \"quantity\": 1.00001, \"batchNo\": null}]}", UUID.randomUUID().toString());
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = Json.mapper().readTree(invalid.body());
        assertThat(problem.toString()).contains("/warehouseCode", "/items/0/quantity", "/items/1/itemRecordNo",
                "/items/1/quantity", "/items/1/batchNo");
        // reading stock: enterprises, logistics officers, administrators; not another agency's officers
        assertThat(call("GET", "/api/v1/logistics/stock?warehouseCode=ZZBW01&itemRecordNo=IDEMP1", "logistics-officer", null, null)
                .statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/logistics/stock?warehouseCode=ZZBW01", "customs-officer", null, null).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/v1/logistics/stock-ins", "logistics-officer", body, UUID.randomUUID().toString()).statusCode())
                .isEqualTo(403);
        assertThat(call("GET", "/api/v1/logistics/stock", "logistics-officer", null, null).statusCode()).isEqualTo(400);
    }
}

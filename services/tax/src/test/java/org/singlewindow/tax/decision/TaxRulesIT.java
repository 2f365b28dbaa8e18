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
import org.singlewindow.contract.reference.TariffTable;
import org.singlewindow.infra.embedded.StateColumns;
import org.singlewindow.infra.embedded.TestInfrastructure;
import org.singlewindow.agency.ReservationState;
import org.singlewindow.tax.period.StatementState;
import org.singlewindow.infra.embedded.Tokens;
import org.singlewindow.agency.AgencyAnswers;
import org.singlewindow.agency.AgencyIntake;
import org.singlewindow.agency.Decision;
import org.singlewindow.agency.DecisionPolicy;
import org.singlewindow.agency.Settlement;
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
import java.nio.charset.StandardCharsets;
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
                "sw.tax.opening-balances.4101960002=100000000.00", "sw.tax.opening-balances.4101960077=10.00",
                "sw.tax.opening-balances.4101960099=100000000.00"})
@org.springframework.context.annotation.Import(TaxRulesIT.Clocks.class)
class TaxRulesIT {

    /** The e-commerce enterprise of the samples, their withholding agent: its guarantee holds their tax. */
    private static final String WITHHOLDING_AGENT = "4101960002";

    /** The service's clock, moved forward by a test to reach the end of a tax period. */
    static final class ShiftedClock extends java.time.Clock {
        private volatile java.time.Duration shift = java.time.Duration.ZERO;

        void shift(java.time.Duration by) {
            this.shift = by;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.now().plus(shift);
        }
    }

    @org.springframework.boot.test.context.TestConfiguration
    static class Clocks {
        @org.springframework.context.annotation.Bean
        @org.springframework.context.annotation.Primary
        ShiftedClock clock() {
            return new ShiftedClock();
        }
    }

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
    @Autowired
    AgencyAnswers answers;
    @Autowired
    ShiftedClock clock;
    @Autowired
    org.singlewindow.tax.period.TaxStatements statements;
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

    /** States are types: each of tax's state columns allows exactly its Java enum's values. */
    @Test
    void everyStateColumnAllowsExactlyItsJavaEnum() {
        assertThat(allowed("ledger_entry_state_check")).isEqualTo(StateColumns.names(ReservationState.values()));
        assertThat(allowed("tax_assessment_state_check")).isEqualTo(StateColumns.names(AssessmentState.values()));
        assertThat(allowed("tax_statement_state_check")).isEqualTo(StateColumns.names(StatementState.values()));
    }

    private java.util.Set<String> allowed(String constraint) {
        return StateColumns.allowed(jdbc.sql(StateColumns.DEFINITION).param(constraint).query(String.class).single());
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
        // the refusal says the limit is reached, not what the consumer bought before (other parties' orders)
        assertThat(refused.message()).contains("26000").doesNotContain("24000").doesNotContain("24,000");
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
    void aFilerTheConsumerNeverBoughtFromCannotFreezeTheirQuota() {
        String buyer = ResidentId.random();
        DeclarationSubmitted bought = order(buyer, 33, "4101960005"); // 4,950, cleared: the consumer buys through 4101960005
        assertThat(decide(bought).status()).isEqualTo(ReceiptStatus.RELEASED);
        conclude(bought.declarationId(), "CLEARED");

        // a stranger files 21,000 for the consumer (four orders of 4,950 and one of 1,200), held elsewhere
        List<DeclarationSubmitted> stranger = new ArrayList<>();
        for (int quantity : List.of(33, 33, 33, 33, 8)) {
            DeclarationSubmitted d = order(buyer, quantity, "4101960099");
            assertThat(decide(d).status()).isEqualTo(ReceiptStatus.RELEASED);
            stranger.add(d);
        }
        assertThat(used(buyer)).isEqualByComparingTo("25950.00");
        // while they are fresh (an order no agency holds clears in seconds) they count for everyone
        assertThat(decide(order(buyer, 2, "4101960005")).reasonCode()).isEqualTo("TAX_ANNUAL_LIMIT");

        // once one has waited, it gives way to a purchase that needs the quota, if that purchase then fits
        age(stranger.get(4));
        assertThat(decide(order(buyer, 10, "4101960005")).reasonCode()).isEqualTo("TAX_ANNUAL_LIMIT"); // 1,500: would not fit
        assertThat(used(buyer)).isEqualByComparingTo("25950.00");
        assertThat(decide(order(buyer, 2, "4101960005")).status()).isEqualTo(ReceiptStatus.RELEASED); // 300
        assertThat(used(buyer)).isEqualByComparingTo("25050.00").isEqualByComparingTo(entries(buyer));
        assertThat(decisions(stranger.get(4))).containsExactly("100 TAX_QUOTA_YIELDED");
        // all waited: only as many give way as the purchase needs, oldest first
        stranger.forEach(this::age);
        assertThat(decide(order(buyer, 33, "4101960005")).status()).isEqualTo(ReceiptStatus.RELEASED); // 4,950
        assertThat(used(buyer)).isEqualByComparingTo("25050.00").isEqualByComparingTo(entries(buyer));
        assertThat(decisions(stranger.get(0))).containsExactly("100 TAX_QUOTA_YIELDED");
        assertThat(stranger.subList(1, 4)).allSatisfy(d -> assertThat(decisions(d)).isEmpty());

        // the window then concludes them rejected: their guarantee is released, the year not released twice
        conclude(stranger.get(4).declarationId(), "REJECTED");
        conclude(stranger.get(0).declarationId(), "REJECTED");
        assertThat(used(buyer)).isEqualByComparingTo("25050.00");
        assertThat(reserved()).isEqualByComparingTo(held());

        // a filer the consumer has bought from keeps the quota however long its declarations wait
        jdbc.sql("update ledger_entry set reserved_at = reserved_at - interval '1 hour' where consumer_key = ? and filer = '4101960005'")
                .param(ledger.consumerKey(buyer)).update();
        assertThat(decide(order(buyer, 2, "4101960099")).reasonCode()).isEqualTo("TAX_ANNUAL_LIMIT");

        // a reservation that gave way while its declaration cleared all the same is counted again: what clears counts
        DeclarationSubmitted raced = order(ResidentId.random(), 2, "4101960005");
        assertThat(decide(raced).status()).isEqualTo(ReceiptStatus.RELEASED);
        tx.executeWithoutResult(status -> {
            ledger.lockYearOf(raced.declarationId());
            assertThat(ledger.yieldQuota(raced.declarationId(), OffsetDateTime.now())).isTrue();
        });
        assertThat(used(raced.declaration().order().buyer().idNumber())).isZero();
        conclude(raced.declarationId(), "CLEARED");
        assertThat(jdbc.sql("select state from ledger_entry where declaration_id = ?").param(raced.declarationId())
                .query(String.class).single()).isEqualTo("COMMITTED");
        assertThat(used(raced.declaration().order().buyer().idNumber())).isEqualByComparingTo("300.00");
    }

    @Test
    void aFilerTheConsumerNeverBoughtFromLearnsAtMostWhichStepTheirYearIsIn() {
        // two consumers who bought 1,500 and 4,500 through 4101960005
        String x = ResidentId.random();
        String y = ResidentId.random();
        for (var bought : List.of(order(x, 10, "4101960005"), order(y, 30, "4101960005"))) {
            assertThat(decide(bought).status()).isEqualTo(ReceiptStatus.RELEASED);
            conclude(bought.declarationId(), "CLEARED");
        }
        // a filer neither bought from reserves 19,800 on each, then tries every amount up to 1,800 on both:
        // the answers are the same for both, although one has 3,000 more left than the other
        for (String consumer : List.of(x, y)) {
            for (int i = 0; i < 4; i++) {
                assertThat(decide(order(consumer, 33, "4101960099")).status()).isEqualTo(ReceiptStatus.RELEASED);
            }
        }
        for (int tins = 1; tins <= 12; tins++) {
            Decision forX = probe(order(x, tins, "4101960099"));
            Decision forY = probe(order(y, tins, "4101960099"));
            assertThat(forY.status()).as(tins + " tins").isEqualTo(forX.status());
            assertThat(forY.message()).as(tins + " tins").isEqualTo(forX.message());
            // 5,000 (what was bought elsewhere, in steps) + 19,800 (its own) + the order: at most 26,000
            assertThat(forX.status()).as(tins + " tins").isEqualTo(tins <= 8 ? ReceiptStatus.RELEASED : ReceiptStatus.REJECTED);
            if (tins > 8) {
                assertThat(forX.reasonCode()).isEqualTo("TAX_ANNUAL_LIMIT");
                assertThat(forX.message()).contains("steps of CNY 5000");
            }
        }
        // the filer the consumer buys through is answered by the year's exact count: 4,500 + 19,800 + 1,650 fits
        assertThat(probe(order(y, 11, "4101960005")).status()).isEqualTo(ReceiptStatus.RELEASED);
        assertThat(probe(order(y, 12, "4101960005")).reasonCode()).isEqualTo("TAX_ANNUAL_LIMIT");
    }

    /** The decision, with nothing it wrote kept. */
    private Decision probe(DeclarationSubmitted submitted) {
        return tx.execute(status -> {
            status.setRollbackOnly();
            return policy.decide(submitted);
        });
    }

    /** The declaration's reservation was made an hour ago. */
    private void age(DeclarationSubmitted declaration) {
        jdbc.sql("update ledger_entry set reserved_at = reserved_at - interval '1 hour' where declaration_id = ?")
                .param(declaration.declarationId()).update();
    }

    /** The decisions tax sent about a declaration besides its first (its first is the test's own call). */
    private List<String> decisions(DeclarationSubmitted declaration) {
        return jdbc.sql("select status_code || ' ' || reason_code from sent_receipt where declaration_id = ? and kind = 'DECISION'")
                .param(declaration.declarationId()).query(String.class).list();
    }

    @Test
    void clearanceCommitsAndBillsWhileRejectionAndCancellationReleaseEverything() {
        String buyer = ResidentId.random();
        DeclarationSubmitted cleared = order(buyer, 2, "4101960005");
        DeclarationSubmitted rejected = order(buyer, 2, "4101960005");
        DeclarationSubmitted cancelled = order(buyer, 2, "4101960005");
        BigDecimal balanceBefore = balance(WITHHOLDING_AGENT);
        for (var d : List.of(cleared, rejected, cancelled)) {
            assertThat(decide(d).status()).isEqualTo(ReceiptStatus.RELEASED);
        }
        assertThat(used(buyer)).isEqualByComparingTo("900.00");

        conclude(cleared.declarationId(), "CLEARED");
        conclude(rejected.declarationId(), "REJECTED");
        conclude(cancelled.declarationId(), "CANCELLED");
        conclude(cleared.declarationId(), "CLEARED"); // a second time changes nothing

        assertThat(used(buyer)).isEqualByComparingTo("300.00").isEqualByComparingTo(entries(buyer));
        // the cleared declaration's tax stays held on the guarantee until its withholding agent pays it
        assertThat(balance(WITHHOLDING_AGENT)).isEqualByComparingTo(balanceBefore);
        assertThat(reserved()).isEqualByComparingTo(held());
        assertThat(jdbc.sql("select count(*) from tax_bill where declaration_id = ?").param(cleared.declarationId()).query(Long.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from tax_bill where declaration_id in (?, ?)")
                .params(rejected.declarationId(), cancelled.declarationId()).query(Long.class).single()).isZero();
    }

    @Test
    void aWithdrawalAfterReleaseVoidsTheBillRefundsTheGuaranteeAndGivesTheConsumerTheAmountBack() {
        String buyer = ResidentId.random();
        DeclarationSubmitted kept = order(buyer, 2, "4101960005");
        DeclarationSubmitted withdrawn = order(buyer, 2, "4101960005");
        BigDecimal balanceBefore = balance(WITHHOLDING_AGENT);
        for (var d : List.of(kept, withdrawn)) {
            assertThat(decide(d).status()).isEqualTo(ReceiptStatus.RELEASED);
            conclude(d.declarationId(), "CLEARED");
        }
        assertThat(used(buyer)).isEqualByComparingTo("600.00");
        BigDecimal reservedBefore = reserved();

        Settlement refunded = tx.execute(s -> policy.withdrawn(withdrawn.declarationId()));
        assertThat(refunded.reasonCode()).isEqualTo("TAX_WITHDRAWN");
        assertThat(refunded.message()).contains("CNY 27.30 released from the guarantee's hold");
        // a second time finds nothing billed: nothing more is refunded
        Settlement again = tx.execute(s -> policy.withdrawn(withdrawn.declarationId()));
        assertThat(again).isNull();

        assertThat(used(buyer)).isEqualByComparingTo("300.00").isEqualByComparingTo(entries(buyer));
        assertThat(balance(WITHHOLDING_AGENT)).isEqualByComparingTo(balanceBefore);
        assertThat(reserved()).isEqualByComparingTo(reservedBefore.subtract(new BigDecimal("27.30"))).isEqualByComparingTo(held());
        assertThat(jdbc.sql("select state from tax_assessment where declaration_id = ?").param(withdrawn.declarationId())
                .query(String.class).single()).isEqualTo("WITHDRAWN");
        assertThat(jdbc.sql("select voided_at is not null from tax_bill where declaration_id = ?").param(withdrawn.declarationId())
                .query(Boolean.class).single()).isTrue();
        assertThat(jdbc.sql("select voided_at is null from tax_bill where declaration_id = ?").param(kept.declarationId())
                .query(Boolean.class).single()).isTrue();
        assertThat(jdbc.sql("select kind || ' ' || amount from guarantee_movement where declaration_id = ? order by id")
                .param(withdrawn.declarationId()).query(String.class).list()).containsExactly("RESERVE 27.30", "RELEASE 27.30");
        // what was withdrawn was never cleared: nothing to refund
        DeclarationSubmitted open = order(buyer, 1, "4101960005");
        decide(open);
        Settlement nothing = tx.execute(s -> policy.withdrawn(open.declarationId()));
        assertThat(nothing).isNull();
        conclude(open.declarationId(), "REJECTED");
    }

    private Settlement returned(DeclarationSubmitted d, int quantity) {
        var line = new org.singlewindow.contract.ReturnLine(1, "ZZ1210A0001", BigDecimal.valueOf(quantity),
                d.declaration().items().getFirst().quantity());
        return tx.execute(s -> policy.returned(new org.singlewindow.contract.DeclarationReturned(d.declarationId(), UUID.randomUUID(),
                List.of(line), OffsetDateTime.now())));
    }

    @Test
    void returnedLinesVoidTheirTaxToTheFenAndAConsumerAtTheLimitCanBuyAgain() {
        String buyer = ResidentId.random();
        List<DeclarationSubmitted> cleared = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            cleared.add(order(buyer, 26, "4101960005")); // 3,900 each
        }
        cleared.add(order(buyer, 3, "4101960005")); // 450: 23,850 used
        for (DeclarationSubmitted d : cleared) {
            assertThat(decide(d).status()).isEqualTo(ReceiptStatus.RELEASED);
            conclude(d.declarationId(), "CLEARED");
        }
        DeclarationSubmitted refused = order(buyer, 20, "4101960005"); // 3,000: past the limit
        assertThat(decide(refused).reasonCode()).isEqualTo("TAX_ANNUAL_LIMIT");
        BigDecimal reservedBefore = reserved();

        // 3 tins at 150, tax 40.95 (13.65 a tin): returned one at a time, the three shares add up to the line's tax
        DeclarationSubmitted small = cleared.getLast();
        List<String> voided = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            voided.add(returned(small, 1).message());
        }
        assertThat(voided).allMatch(m -> m.startsWith("tax of the returned line(s) CNY 13.65 voided (released from the guarantee's hold)"));
        assertThat(jdbc.sql("select sum(tax) || ' ' || sum(amount) from tax_return where declaration_id = ?")
                .param(small.declarationId()).query(String.class).single()).isEqualTo("40.95 450.00");
        // 26 tins, 10 returned: 10/26 of 354.90 tax and of 3,900
        Settlement part = returned(cleared.getFirst(), 10);
        assertThat(part.reasonCode()).isEqualTo("TAX_VOIDED");
        assertThat(part.message()).contains("CNY 136.50 voided").contains("CNY 1500.00 no longer counts");
        assertThat(used(buyer)).isEqualByComparingTo("21900.00").isEqualByComparingTo(entries(buyer));
        assertThat(reserved()).isEqualByComparingTo(reservedBefore.subtract(new BigDecimal("40.95")).subtract(new BigDecimal("136.50")))
                .isEqualByComparingTo(held());
        // the tax officer's bill says what was voided and what is owed, and each return
        JsonNode bill = Json.mapper().readTree(sendQuietly("GET", "/api/v1/tax/declarations/" + cleared.getFirst().declarationId() + "/tax",
                tokens.user("tax-officer"))).get("bill");
        assertThat(bill.get("total").decimalValue()).isEqualByComparingTo("354.90");
        assertThat(bill.get("voided").decimalValue()).isEqualByComparingTo("136.50");
        assertThat(bill.get("owed").decimalValue()).isEqualByComparingTo("218.40");
        assertThat(bill.get("returns")).hasSize(1);

        // with the returned value out of the year, the order refused before now fits
        DeclarationSubmitted again = order(buyer, 20, "4101960005");
        assertThat(decide(again).status()).isEqualTo(ReceiptStatus.RELEASED);
        conclude(again.declarationId(), "REJECTED");
    }

    @Test
    void afterThirtyDaysTheTaxIsDueOnTheWithholdingAgentsStatementAndPayingItReleasesTheGuaranteeAndCompletesClearance()
            throws Exception {
        String buyer = ResidentId.random();
        DeclarationSubmitted first = order(buyer, 2, "4101960005"); // tax 27.30; withholding agent: the e-commerce enterprise
        DeclarationSubmitted second = order(buyer, 4, "4101960005"); // 54.60
        DeclarationSubmitted returning = order(buyer, 2, "4101960005");
        DeclarationSubmitted refusedReturn = order(buyer, 1, "4101960005");
        for (var d : List.of(first, second, returning, refusedReturn)) {
            assertThat(decide(d).status()).isEqualTo(ReceiptStatus.RELEASED);
            conclude(d.declarationId(), "CLEARED");
        }
        // a return applied for: not due while its goods may still come back (45 days)
        tx.executeWithoutResult(s -> policy.returnRequested(new org.singlewindow.contract.DeclarationReturnRequested(
                returning.declarationId(), UUID.randomUUID(), List.of(), "damaged", OffsetDateTime.now().plusDays(45), OffsetDateTime.now())));
        // a return customs refused holds nothing back
        UUID refusedId = UUID.randomUUID();
        tx.executeWithoutResult(s -> policy.returnRequested(new org.singlewindow.contract.DeclarationReturnRequested(
                refusedReturn.declarationId(), refusedId, List.of(), "changed my mind", OffsetDateTime.now().plusDays(45), OffsetDateTime.now())));
        tx.executeWithoutResult(s -> policy.returnRefused(new org.singlewindow.contract.DeclarationReturnRefused(
                refusedReturn.declarationId(), refusedId, OffsetDateTime.now(), "returned goods refused on an officer's check: used")));
        String state = "select state || ' ' || coalesce(statement_no, '-') from tax_assessment where declaration_id = ?";
        try {
            clock.shift(java.time.Duration.ofDays(29));
            tx.execute(s -> statements.close());
            assertThat(jdbc.sql(state).param(first.declarationId()).query(String.class).single()).isEqualTo("BILLED -");

            clock.shift(java.time.Duration.ofDays(31));
            List<String> issued = tx.execute(s -> statements.close());
            assertThat(issued).isNotEmpty();
            String statementNo = jdbc.sql("select statement_no from tax_assessment where declaration_id = ?")
                    .param(first.declarationId()).query(String.class).single();
            assertThat(jdbc.sql(state).param(second.declarationId()).query(String.class).single()).isEqualTo("DUE " + statementNo);
            assertThat(jdbc.sql(state).param(refusedReturn.declarationId()).query(String.class).single()).isEqualTo("DUE " + statementNo);
            assertThat(jdbc.sql(state).param(returning.declarationId()).query(String.class).single()).isEqualTo("BILLED -");
            var statement = statements.find(statementNo).orElseThrow();
            assertThat(statement.assureCode()).isEqualTo("4101960002");
            assertThat(statement.state()).isEqualTo("OPEN");
            assertThat(statement.declarations()).extracting(l -> l.declarationId())
                    .contains(first.declarationId(), second.declarationId()).doesNotContain(returning.declarationId());
            assertThat(statement.total()).isEqualByComparingTo(statement.declarations().stream()
                    .map(org.singlewindow.tax.period.TaxStatements.Line::due).reduce(BigDecimal.ZERO, BigDecimal::add));
            assertThat(java.time.Duration.between(statement.issuedAt(), statement.payBy())).isEqualTo(java.time.Duration.ofDays(15));

            // unpaid on day 46: overdue
            clock.shift(java.time.Duration.ofDays(47));
            HttpResponse<String> overdue = send("GET", "/api/v1/admin/tax/tax-statements?overdue=true&assureCode=4101960002", null,
                    tokens.user("finance-admin"));
            assertThat(overdue.statusCode()).isEqualTo(200);
            assertThat(overdue.body()).contains(statementNo).contains("\"overdue\":true");
            assertThat(send("GET", "/api/v1/admin/tax/tax-statements", null, tokens.user("customs-officer")).statusCode()).isEqualTo(403);

            // the agent pays: the guarantee's holds are released, each declaration's clearance is complete
            BigDecimal reservedBefore = reserved();
            assertThat(post("/api/v1/admin/tax/tax-statements/" + statementNo + "/payment", "{}", tokens.user("finance-admin"))
                    .statusCode()).isEqualTo(400);
            for (int i = 0; i < 2; i++) { // paid twice: paid once
                HttpResponse<String> paid = post("/api/v1/admin/tax/tax-statements/" + statementNo + "/payment",
                        "{\"reference\": \"ICBC-2027-000123\"}", tokens.user("finance-admin"));
                assertThat(paid.statusCode()).as(paid.body()).isEqualTo(200);
                assertThat(paid.body()).contains("\"state\":\"PAID\"").contains("\"paidBy\":\"finance-admin\"");
            }
            assertThat(reserved()).isEqualByComparingTo(reservedBefore.subtract(statement.total())).isEqualByComparingTo(held());
            assertThat(jdbc.sql(state).param(first.declarationId()).query(String.class).single()).isEqualTo("PAID " + statementNo);
            assertThat(jdbc.sql("select status_code || ' ' || reason_code from sent_receipt where declaration_id = ? and kind = 'SETTLEMENT' order by decided_at")
                    .param(first.declarationId()).query(String.class).list()).containsExactly("899 TAX_PAID");

            // withdrawn after it was paid: owed back to the withholding agent
            Settlement late = tx.execute(s -> policy.withdrawn(second.declarationId()));
            assertThat(late.message()).contains("CNY 54.60 paid on statement " + statementNo + ": owed back to the withholding agent 4101960002");
            assertThat(jdbc.sql("select amount from tax_refund where declaration_id = ?").param(second.declarationId())
                    .query(BigDecimal.class).single()).isEqualByComparingTo("54.60");
        } finally {
            clock.shift(java.time.Duration.ZERO);
        }
    }

    @Test
    void aGuaranteeTooSmallOrMissingRejectsAndReservesNothing() {
        String buyer = ResidentId.random();
        Decision small = decide(withholdingAgent(order(buyer, 2, "4101960005"), "4101960077"));
        Decision none = decide(withholdingAgent(order(buyer, 2, "4101960005"), "4101960066"));
        assertThat(small.reasonCode()).isEqualTo("TAX_GUARANTEE_INSUFFICIENT");
        assertThat(small.message()).contains("the withholding agent 4101960077's guarantee has CNY 10.00 available");
        assertThat(none.reasonCode()).isEqualTo("TAX_GUARANTEE_MISSING");
        assertThat(none.message()).contains("the withholding agent 4101960066 (assureCode) has no guarantee account");
        assertThat(used(buyer)).isEqualByComparingTo("0");
    }

    @Test
    void theTaxIsHeldOnTheWithholdingAgentsGuaranteeNotTheDeclaringAgents() {
        // the declaring agent 4101960005 has no guarantee at all: a broker files, the seller (assureCode) guarantees
        DeclarationSubmitted submitted = order(ResidentId.random(), 2, "4101960005"); // tax 27.30
        BigDecimal before = reservedOf(WITHHOLDING_AGENT);
        assertThat(jdbc.sql("select count(*) from guarantee_account where enterprise_id = '4101960005'").query(Long.class).single()).isZero();
        assertThat(decide(submitted).status()).isEqualTo(ReceiptStatus.RELEASED);
        assertThat(reservedOf(WITHHOLDING_AGENT)).isEqualByComparingTo(before.add(new BigDecimal("27.30")));
        assertThat(jdbc.sql("select guarantor || ' ' || enterprise_id from tax_assessment where declaration_id = ?")
                .param(submitted.declarationId()).query(String.class).single()).isEqualTo(WITHHOLDING_AGENT + " 4101960005");
        // released where it was held
        conclude(submitted.declarationId(), "REJECTED");
        assertThat(reservedOf(WITHHOLDING_AGENT)).isEqualByComparingTo(before);
        // another withholding agent named on the list (assureCode 4101960099): its guarantee, not the seller's
        DeclarationSubmitted platform = withholdingAgent(order(ResidentId.random(), 2, "4101960005"), "4101960099");
        BigDecimal platformBefore = reservedOf("4101960099");
        assertThat(decide(platform).status()).isEqualTo(ReceiptStatus.RELEASED);
        assertThat(reservedOf("4101960099")).isEqualByComparingTo(platformBefore.add(new BigDecimal("27.30")));
        assertThat(reservedOf(WITHHOLDING_AGENT)).isEqualByComparingTo(before);
        conclude(platform.declarationId(), "REJECTED");
    }

    /** The declaration with another withholding agent on it (assureCode). */
    private static DeclarationSubmitted withholdingAgent(DeclarationSubmitted submitted, String assureCode) {
        Declaration d = submitted.declaration();
        Declaration.Declarant declarant = new Declaration.Declarant(d.declarant().agentCode(), d.declarant().agentName(),
                d.declarant().customsCode(), assureCode);
        ObjectNode json = Json.mapper().valueToTree(d);
        json.set("declarant", Json.mapper().valueToTree(declarant));
        return new DeclarationSubmitted(submitted.declarationId(), submitted.enterpriseId(), submitted.submittedAt(),
                Json.mapper().treeToValue(json, Declaration.class));
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
    void aConsumerSeesTheirOwnYearMoveWithAPurchaseAndNobodyElsesAndNoOneElseSeesIt() throws Exception {
        // the realm's demo consumer: their ID number is the token's id_number, never a parameter
        String consumer = tokens.user("consumer");
        JsonNode before = Json.mapper().readTree(send("GET", "/api/v1/tax/my-quota", null, consumer).body());
        assertThat(before.get("limit").decimalValue()).isEqualByComparingTo("26000");
        assertThat(before.get("year").asInt()).isEqualTo(java.time.Year.now(java.time.ZoneId.of("Asia/Shanghai")).getValue());

        DeclarationSubmitted bought = order("410102199003070027", 4, "4101960005"); // 600
        assertThat(decide(bought).status()).isEqualTo(ReceiptStatus.RELEASED);
        decide(order(ResidentId.random(), 4, "4101960005")); // someone else's purchase: not theirs to see
        HttpResponse<String> after = send("GET", "/api/v1/tax/my-quota", null, consumer);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        JsonNode quota = Json.mapper().readTree(after.body());
        assertThat(quota.get("used").decimalValue()).isEqualByComparingTo(before.get("used").decimalValue().add(new BigDecimal("600")));
        assertThat(quota.get("left").decimalValue()).isEqualByComparingTo(new BigDecimal("26000").subtract(quota.get("used").decimalValue()));
        assertThat(quota.get("purchases")).hasSize(before.get("purchases").size() + 1);
        assertThat(quota.get("purchases").get(0).get("declarationId").asString()).isEqualTo(bought.declarationId().toString());
        assertThat(quota.get("purchases").get(0).get("state").asString()).isEqualTo("RESERVED");

        // rejected at the window: the amount no longer counts
        conclude(bought.declarationId(), "REJECTED");
        JsonNode released = Json.mapper().readTree(send("GET", "/api/v1/tax/my-quota", null, consumer).body());
        assertThat(released.get("used").decimalValue()).isEqualByComparingTo(before.get("used").decimalValue());
        assertThat(released.get("purchases").get(0).get("state").asString()).isEqualTo("RELEASED");

        HttpResponse<String> future = send("GET", "/api/v1/tax/my-quota?year=2999", null, consumer);
        assertThat(future.statusCode()).isEqualTo(400);
        assertThat(future.body()).contains("year");
        // an enterprise (no consumer role, no id_number) and an officer are refused
        assertThat(send("GET", "/api/v1/tax/my-quota", null, tokens.user("enterprise-a")).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/v1/tax/my-quota", null, tokens.user("tax-officer")).statusCode()).isEqualTo(403);
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
        // a lotion sold by the bottle: its content (legal quantity) decides, 200 ml at CNY 100 is not high-end
        HttpResponse<String> lotion = post("/api/v1/tax/quotes", """
                {"items": [{"hsCode": "3304990099", "quantity": 1, "unit": "007", "qty1": 0.2, "unit1": "035", "unitPrice": 100}]}""",
                enterprise);
        assertThat(lotion.statusCode()).as(lotion.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(lotion.body()).get("assessment").get("total").decimalValue()).isEqualByComparingTo("9.10");
        HttpResponse<String> noContent = post("/api/v1/tax/quotes", """
                {"items": [{"hsCode": "3304990099", "quantity": 1, "unit": "007", "unitPrice": 100}]}""", enterprise);
        assertThat(noContent.statusCode()).isEqualTo(422);
        assertThat(noContent.body()).contains("TAX_CONTENT_UNKNOWN").contains("/items/0/qty1");
        HttpResponse<String> half = post("/api/v1/tax/quotes", """
                {"items": [{"hsCode": "3304990099", "quantity": 1, "unit": "007", "unit1": "020", "unitPrice": 100}]}""", enterprise);
        assertThat(half.statusCode()).isEqualTo(400);
        assertThat(half.body()).contains("/items/0/qty1");
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
                TaxRulesIT.class.getResourceAsStream(TariffTable.BUNDLED).readAllBytes());
        tariff.put("version", "2026.2-test");
        for (JsonNode entry : tariff.get("entries")) {
            if (entry.get("hsCode").asString().equals("9503008900")) {
                ((ObjectNode) entry).put("vat", new BigDecimal("0.09"));
            }
        }
        // checked first: what it would put in force, nothing loaded
        HttpResponse<String> checked = post("/api/v1/admin/tax/reference/hs-tariff/check", Json.mapper().writeValueAsString(tariff), admin);
        assertThat(checked.statusCode()).as(checked.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(checked.body()).get("version").asString()).isEqualTo("2026.2-test");
        assertThat(Json.mapper().readTree(send("GET", "/api/v1/admin/tax/reference/hs-tariff", null, admin).body())
                .get("version").asString()).isNotEqualTo("2026.2-test");
        int versionsBefore = Json.mapper().readTree(send("GET", "/api/v1/admin/tax/reference/hs-tariff/versions", null, admin).body()).size();
        HttpResponse<String> replaced = put("/api/v1/admin/tax/reference/hs-tariff", Json.mapper().writeValueAsString(tariff), admin);
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        JsonNode versions = Json.mapper().readTree(send("GET", "/api/v1/admin/tax/reference/hs-tariff/versions", null, admin).body());
        assertThat(versions).hasSize(versionsBefore + 1);
        assertThat(versions.get(0).get("version").asString()).isEqualTo("2026.2-test");
        assertThat(versions.get(0).get("loadedBy").asString()).isEqualTo("admin");
        // the document in force, as loaded
        assertThat(Json.mapper().readTree(send("GET", "/api/v1/admin/tax/reference/hs-tariff/document", null, admin).body()))
                .isEqualTo(tariff);
        assertThat(replaced.body()).contains("2026.2-test").contains("loaded by admin");
        JsonNode after = Json.mapper().readTree(post("/api/v1/tax/quotes", quote, enterprise).body());
        assertThat(after.get("tariffVersion").asString()).isEqualTo("2026.2-test");
        assertThat(after.get("assessment").get("vat").decimalValue()).isEqualByComparingTo("6.30");

        tariff.put("version", "");
        HttpResponse<String> broken = put("/api/v1/admin/tax/reference/hs-tariff", Json.mapper().writeValueAsString(tariff), admin);
        assertThat(broken.statusCode()).isEqualTo(422);
        assertThat(broken.body()).contains("version is required");
        HttpResponse<String> brokenCheck = post("/api/v1/admin/tax/reference/hs-tariff/check", Json.mapper().writeValueAsString(tariff), admin);
        assertThat(brokenCheck.statusCode()).isEqualTo(422);
        assertThat(brokenCheck.body()).contains("version is required").contains("checked, not loaded");
        assertThat(post("/api/v1/admin/tax/reference/hs-tariff/check", "{}", enterprise).statusCode()).isEqualTo(403);
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
    void aFullTariffIsLoadedFromTheAdministratorsCsvAndACodeOutsideItIsRefusedByName() throws Exception {
        String admin = tokens.user("admin");
        String enterprise = tokens.user("enterprise-a");
        String csv = org.singlewindow.contract.TariffSamples.fullTariffCsv();
        String params = "?version=2027.1-csv&effectiveFrom=2026-01-01&source="
                + java.net.URLEncoder.encode("Customs tariff 2027 and positive list, exported", StandardCharsets.UTF_8);
        try {
            HttpResponse<String> loaded = csv("PUT", "/api/v1/admin/tax/reference/hs-tariff" + params, csv, admin);
            assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
            assertThat(Json.mapper().readTree(loaded.body()).get("version").asString()).isEqualTo("2027.1-csv");
            // kept as the JSON document it became: more than the 1 MB a request may carry elsewhere, and loadable as it is
            String document = send("GET", "/api/v1/admin/tax/reference/hs-tariff/document", null, admin).body();
            assertThat(document.length()).isGreaterThan(1_048_576);
            assertThat(Json.mapper().readTree(document).get("entries")).hasSize(TariffTable.bundled().entries().size() + 9_000);
            assertThat(put("/api/v1/admin/tax/reference/hs-tariff", document.replace("2027.1-csv", "2027.1-json"), admin).statusCode())
                    .isEqualTo(200);

            JsonNode quoted = Json.mapper().readTree(post("/api/v1/tax/quotes",
                    "{\"items\": [{\"hsCode\": \"9900000001\", \"quantity\": 1, \"unit\": \"007\", \"unitPrice\": 100}]}", enterprise).body());
            assertThat(quoted.get("tariffVersion").asString()).isEqualTo("2027.1-json");
            assertThat(quoted.get("assessment").get("vat").decimalValue()).isEqualByComparingTo("9.10");
            HttpResponse<String> outside = post("/api/v1/tax/quotes",
                    "{\"items\": [{\"hsCode\": \"9900009999\", \"quantity\": 1, \"unit\": \"007\", \"unitPrice\": 100}]}", enterprise);
            assertThat(outside.statusCode()).isEqualTo(422);
            assertThat(outside.body()).contains("HS code 9900009999 is not in tariff 2027.1-json");

            // a broken row: refused naming its line, the one in force unchanged; checked first, nothing loaded
            String broken = csv.replaceFirst("\n9900000003,", "\n99000003,");
            HttpResponse<String> refused = csv("PUT", "/api/v1/admin/tax/reference/hs-tariff" + params, broken, admin);
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("line " + (TariffTable.bundled().entries().size() + 5) + " hsCode must be 10 digits");
            assertThat(csv("POST", "/api/v1/admin/tax/reference/hs-tariff/check" + params, csv, admin).statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(send("GET", "/api/v1/admin/tax/reference/hs-tariff", null, admin).body())
                    .get("version").asString()).isEqualTo("2027.1-json");
            assertThat(csv("PUT", "/api/v1/admin/tax/reference/hs-tariff" + params, csv, enterprise).statusCode()).isEqualTo(403);
        } finally {
            ObjectNode bundled = (ObjectNode) Json.mapper().readTree(
                    TaxRulesIT.class.getResourceAsStream(TariffTable.BUNDLED).readAllBytes());
            bundled.put("version", "2026.1-restored-after-csv");
            assertThat(put("/api/v1/admin/tax/reference/hs-tariff", Json.mapper().writeValueAsString(bundled), admin).statusCode())
                    .isEqualTo(200);
        }
    }

    private HttpResponse<String> csv(String method, String path, String csv, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "text/csv; charset=UTF-8").header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
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
                .isEqualTo("VOID");
        assertThat(jdbc.sql("select count(*) from ledger_entry where declaration_id = ?").param(id).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from tax_assessment where declaration_id = ?").param(id).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select status_code from sent_receipt where declaration_id = ? and kind = 'DECISION'")
                .param(id).query(Integer.class).list()).containsExactly(902);
    }

    @Test
    void anAmendmentIsDecidedAgainButNeverLiftsAnOfficersHold() {
        String buyer = ResidentId.random();
        DeclarationSubmitted first = order(buyer, 4, "4101960005"); // 600
        UUID id = first.declarationId();
        deliver(Topology.DECLARATION_SUBMITTED, first);
        assertThat(used(buyer)).isEqualByComparingTo("600.00");

        // version 2, before any hold: what version 1 reserved is released, version 2 decided and reserved
        DeclarationSubmitted second = new DeclarationSubmitted(id, "4101960005", OffsetDateTime.now(),
                order(buyer, 2, "4101960005").declaration(), 2);
        deliver(Topology.DECLARATION_AMENDED, second);
        assertThat(used(buyer)).isEqualByComparingTo("300.00").isEqualByComparingTo(entries(buyer));
        assertThat(versionedDecisions(id)).containsExactly("1 800 OK", "2 800 OK");

        // an officer of this agency holds version 2 (the kit's back-office seam; here tax stands in for a holding
        // agency), and version 3 crosses the hold on its way: decided and reserved, but still held
        tx.executeWithoutResult(s -> answers.decideByOfficer(id, new Decision(ReceiptStatus.MANUAL_REVIEW, "R_TEST", "held for review", null)));
        DeclarationSubmitted third = new DeclarationSubmitted(id, "4101960005", OffsetDateTime.now(),
                order(buyer, 3, "4101960005").declaration(), 3);
        deliver(Topology.DECLARATION_AMENDED, third);
        assertThat(used(buyer)).isEqualByComparingTo("450.00").isEqualByComparingTo(entries(buyer));
        assertThat(jdbc.sql("select status || ' ' || reason_code || ' ' || version from received_declaration where declaration_id = ?")
                .param(id).query(String.class).single()).isEqualTo("MANUAL_REVIEW R_TEST 3");
        assertThat(versionedDecisions(id)).last().isEqualTo("3 300 R_TEST");

        // version 4, which the rules refuse (200 tins: 30,000 in one order), is refused: a hold does not shield an
        // amendment from the rules
        DeclarationSubmitted fourth = new DeclarationSubmitted(id, "4101960005", OffsetDateTime.now(),
                order(buyer, 200, "4101960005").declaration(), 4);
        deliver(Topology.DECLARATION_AMENDED, fourth);
        assertThat(versionedDecisions(id)).last().asString().startsWith("4 100 ");
        assertThat(used(buyer)).isZero();
    }

    private void deliver(String type, DeclarationSubmitted submitted) {
        tx.executeWithoutResult(s -> intake.handle(new IncomingMessage(UUID.randomUUID().toString(), type, "c",
                submitted.declarationId(), Json.mapper().writeValueAsBytes(submitted))));
    }

    private List<String> versionedDecisions(UUID id) {
        return jdbc.sql("""
                        select version || ' ' || status_code || ' ' || reason_code from sent_receipt
                        where declaration_id = ? and kind = 'DECISION' order by decided_at""")
                .param(id).query(String.class).list();
    }

    /** docs/security.md's rotation: the new key in force, the old one as previous; a consumer's year follows them. */
    @Test
    void afterALedgerKeyRotationAConsumersYearIsFoundWholeUnderTheNewKey() {
        String idNumber = ResidentId.random();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now();
        tx.executeWithoutResult(s -> {
            String oldKey = ledger.consumerKey(idNumber);
            ledger.lockYear(oldKey, 2026);
            ledger.reserve(first, oldKey, 2026, new BigDecimal("25000.00"), "4101960005", now);
        });

        ConsumerLedger rotated = new ConsumerLedger(jdbc, new org.singlewindow.tax.TaxProperties(
                "the-new-ledger-key-from-the-store", "sandbox-tax-ledger-key", null, java.util.Map.of(), null, null), "sandbox");
        String newKey = rotated.consumerKey(idNumber);
        assertThat(newKey).isNotEqualTo(ledger.consumerKey(idNumber));
        BigDecimal used = tx.execute(s -> {
            rotated.adopt(idNumber);
            return rotated.lockYear(newKey, 2026);
        });
        // the whole year, under the new key only; the entry follows, so releasing it still balances
        assertThat(used).isEqualByComparingTo("25000.00");
        assertThat(jdbc.sql("select count(*) from consumer_year where consumer_key = ?").param(ledger.consumerKey(idNumber))
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select consumer_key from ledger_entry where declaration_id = ?").param(first)
                .query(String.class).single()).isEqualTo(newKey);
        tx.executeWithoutResult(s -> {
            rotated.lockYear(newKey, 2026);
            rotated.reserve(second, newKey, 2026, new BigDecimal("500.00"), "4101960005", now);
            assertThat(rotated.release(first, now)).isTrue();
        });
        assertThat(jdbc.sql("select used from consumer_year where consumer_key = ? and year = 2026").param(newKey)
                .query(BigDecimal.class).single()).isEqualByComparingTo("500.00");
        // a second adoption finds nothing left to move
        BigDecimal again = tx.execute(s -> {
            rotated.adopt(idNumber);
            return rotated.lockYear(newKey, 2026);
        });
        assertThat(again).isEqualByComparingTo("500.00");
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
        // the list of accounts, the least available first; finance only
        HttpResponse<String> list = send("GET", "/api/v1/admin/tax/guarantee-accounts", null, tokens.user("finance-admin"));
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        JsonNode accounts = Json.mapper().readTree(list.body());
        JsonNode mine = accounts.valueStream().filter(a -> a.get("enterpriseId").asString().equals("4101960055")).findFirst().orElseThrow();
        assertThat(mine.get("available").decimalValue()).isEqualByComparingTo(mine.get("balance").decimalValue()
                .subtract(mine.get("reserved").decimalValue()));
        List<BigDecimal> available = accounts.valueStream().map(a -> a.get("available").decimalValue()).toList();
        assertThat(available).isSortedAccordingTo(java.util.Comparator.naturalOrder());
        assertThat(send("GET", "/api/v1/admin/tax/guarantee-accounts", null, tokens.user("tax-officer")).statusCode()).isEqualTo(403);
    }

    private BigDecimal balance(String enterpriseId) {
        return jdbc.sql("select balance from guarantee_account where enterprise_id = ?").param(enterpriseId).query(BigDecimal.class).single();
    }

    /** What the withholding agent's guarantee must hold: every decided, cleared or due tax not yet paid (less what returns voided). */
    private BigDecimal held() {
        return jdbc.sql("""
                        select coalesce(sum(total - voided), 0) from tax_assessment
                        where guarantor = ? and state in ('ASSESSED', 'BILLED', 'DUE')""")
                .param(WITHHOLDING_AGENT).query(BigDecimal.class).single();
    }

    private BigDecimal reservedOf(String enterpriseId) {
        return jdbc.sql("select reserved from guarantee_account where enterprise_id = ?").param(enterpriseId).query(BigDecimal.class).single();
    }

    private BigDecimal reserved() {
        return reservedOf(WITHHOLDING_AGENT);
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

    /** The body of a call that must answer 200. */
    private String sendQuietly(String method, String path, String token) {
        try {
            HttpResponse<String> response = send(method, path, null, token);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String json, String token, String idempotencyKey)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

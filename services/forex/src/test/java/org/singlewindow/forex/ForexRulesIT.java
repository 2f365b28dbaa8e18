package org.singlewindow.forex;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationConcluded;
import org.singlewindow.contract.Outcome;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.ResidentId;
import org.singlewindow.contract.Samples;
import org.singlewindow.contract.Topology;
import org.singlewindow.forex.ledger.PayerLedger;
import org.singlewindow.forex.rates.ExchangeRates;
import org.singlewindow.infra.embedded.StateColumns;
import org.singlewindow.infra.embedded.TestInfrastructure;
import org.singlewindow.agency.ReservationState;
import org.singlewindow.agency.AgencyIntake;
import org.singlewindow.agency.Decision;
import org.singlewindow.agency.DecisionPolicy;
import org.singlewindow.agency.DeferredDecisions;
import org.singlewindow.kit.messaging.IncomingMessage;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Forex against a real PostgreSQL and a WireMock stand-in for the external rate provider: the provider
 * slow, failing in bursts (the breaker opens, half-opens and recovers), answering garbage or a stale
 * table — the decision waits and is taken once a fresh rate is back, never approved blindly; and the
 * payment rules and the payer's annual ledger under concurrency, released exactly on the outcome.
 */
@SpringBootTest(classes = ForexApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "spring.datasource.hikari.maximum-pool-size=60",
                "sw.forex.annual-cap=100.00",
                "sw.forex.rates.read-timeout=500ms", "sw.forex.rates.retry-backoff=50ms",
                "sw.forex.rates.breaker-open=3s", "sw.forex.rates.refresh=1h",
                "sw.decision.retry-initial=200ms", "sw.decision.retry-max=1s", "sw.decision.retry-poll=200ms"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForexRulesIT {

    private static final TestInfrastructure infra = TestInfrastructure.start();
    private static final WireMockServer feed = new WireMockServer(options().dynamicPort());

    static {
        feed.start();
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        infra.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("sw.forex.rates.url", feed::baseUrl);
    }

    @AfterAll
    static void stop() {
        feed.stop();
        infra.close();
    }

    @Autowired
    DecisionPolicy policy;
    @Autowired
    AgencyIntake intake;
    @Autowired
    ExchangeRates rates;
    @Autowired
    CircuitBreaker rateFeedBreaker;
    @Autowired
    PayerLedger ledger;
    @Autowired
    DeferredDecisions deferredDecisions;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;

    private static String table(OffsetDateTime publishedAt) {
        return "{\"base\": \"USD\", \"date\": \"" + publishedAt.toLocalDate() + "\", \"publishedAt\": \"" + publishedAt
                + "\", \"rates\": {\"CNY\": 7.1000, \"EUR\": 0.9200}, \"provider\": \"test feed\"}";
    }

    private static void feedAnswers(int status, String body, int delayMillis) {
        feed.resetAll();
        feed.stubFor(get(urlPathEqualTo("/rates")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body).withFixedDelay(delayMillis)));
    }

    /** A healthy feed with today's table, the breaker closed, the table fetched. */
    private void healthyFeed() {
        feedAnswers(200, table(OffsetDateTime.now(ZoneOffset.UTC).minusHours(1)), 0);
        rateFeedBreaker.reset();
        rates.refresh(false);
    }

    /** The sample order (CNY 327.30 paid) of this payer with this transaction id. */
    private static DeclarationSubmitted payment(String payerId, String transactionId) {
        ObjectNode json = Samples.declaration();
        ((ObjectNode) json.get("order").get("buyer")).put("idNumber", payerId);
        ((ObjectNode) json.get("payment")).put("payerIdNumber", payerId);
        ((ObjectNode) json.get("payment")).put("payTransactionId", transactionId);
        return submitted(json);
    }

    private static DeclarationSubmitted submitted(ObjectNode json) {
        return new DeclarationSubmitted(UUID.randomUUID(), "4101960005", OffsetDateTime.now(),
                Json.mapper().treeToValue(json, Declaration.class));
    }

    private Decision decide(DeclarationSubmitted submitted) {
        return tx.execute(status -> policy.decide(submitted));
    }

    private void deliver(String type, UUID declarationId, Object body) {
        tx.executeWithoutResult(s -> intake.handle(new IncomingMessage(UUID.randomUUID().toString(), type,
                UUID.randomUUID().toString(), declarationId, Json.mapper().writeValueAsBytes(body))));
    }

    private BigDecimal used(String payerId) {
        return jdbc.sql("select coalesce(sum(used_usd), 0) from payer_year where payer_key = ?")
                .param(ledger.payerKey(payerId)).query(BigDecimal.class).single();
    }

    record Case(String status, OffsetDateTime deferredUntil, int deferCount, String deferReason) {
    }

    private Case caseOf(UUID id) {
        return jdbc.sql("select status, deferred_until, defer_count, defer_reason from received_declaration where declaration_id = ?")
                .param(id).query(Case.class).single();
    }

    private long decisions(UUID id, String status) {
        return jdbc.sql("select count(*) from sent_receipt where declaration_id = ? and kind = 'DECISION' and status = ?")
                .params(id, status).query(Long.class).single();
    }

    /** Submit through the intake; returns the declaration id once its decision has been deferred for the given reason. */
    private UUID deferredBy(String reasonFragment) {
        DeclarationSubmitted submitted = payment(ResidentId.random(), "PAY" + UUID.randomUUID());
        deliver(Topology.DECLARATION_SUBMITTED, submitted.declarationId(), submitted);
        Case c = caseOf(submitted.declarationId());
        assertThat(c.status()).isEqualTo("ACCEPTED");
        assertThat(c.deferredUntil()).isNotNull();
        assertThat(c.deferReason()).startsWith("FX_RATE_UNAVAILABLE").contains(reasonFragment);
        assertThat(decisions(submitted.declarationId(), "RELEASED")).isZero();
        return submitted.declarationId();
    }

    /** States are types: a payment record's state column allows exactly its Java enum's values. */
    @Test
    void everyStateColumnAllowsExactlyItsJavaEnum() {
        assertThat(allowed("payment_record_state_check")).isEqualTo(StateColumns.names(ReservationState.values()));
    }

    private java.util.Set<String> allowed(String constraint) {
        return StateColumns.allowed(jdbc.sql(StateColumns.DEFINITION).param(constraint).query(String.class).single());
    }

    @Test
    @Order(1)
    void withoutAFreshRateTheDecisionWaitsAndIsTakenOnceTheFeedRecovers() {
        List<UUID> waiting = new ArrayList<>();
        // no background retries while each fault is staged: every deferral below is the intake's own
        deferredDecisions.stop();

        // slow: every attempt times out after 500 ms
        feedAnswers(200, table(OffsetDateTime.now(ZoneOffset.UTC)), 1500);
        rateFeedBreaker.reset();
        waiting.add(deferredBy("failed"));
        assertThat(feed.countRequestsMatching(getRequestedFor(urlPathEqualTo("/rates")).build()).getCount()).isEqualTo(3);

        // malformed body
        feedAnswers(200, "{\"base\": \"USD\", \"rates\": ", 0);
        rateFeedBreaker.reset();
        waiting.add(deferredBy("failed"));
        // a well-formed table that is not a rate table (no dates, a negative rate)
        feedAnswers(200, "{\"base\": \"USD\", \"rates\": {\"CNY\": -7.1}}", 0);
        rateFeedBreaker.reset();
        waiting.add(deferredBy("malformed rate table"));

        // stale: published three days ago
        feedAnswers(200, table(OffsetDateTime.now(ZoneOffset.UTC).minusDays(3)), 0);
        rateFeedBreaker.reset();
        waiting.add(deferredBy("older than"));

        // a burst of 5xx: the breaker opens and the provider is left alone
        feedAnswers(503, "{\"error\": \"maintenance\"}", 0);
        rateFeedBreaker.reset();
        rates.refresh(false);
        rates.refresh(false);
        assertThat(rateFeedBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        long calls = feed.countRequestsMatching(getRequestedFor(urlPathEqualTo("/rates")).build()).getCount();
        waiting.add(deferredBy("circuit breaker is open"));
        assertThat(feed.countRequestsMatching(getRequestedFor(urlPathEqualTo("/rates")).build()).getCount()).isEqualTo(calls);

        // the provider recovers: after the open period the breaker lets a trial call through and closes,
        // and the deferred decisions are asked again
        feedAnswers(200, table(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5)), 0);
        deferredDecisions.start();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(rateFeedBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED));
        // every deferred decision is taken, each once
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (UUID id : waiting) {
                assertThat(decisions(id, "RELEASED")).as("decision of %s", id).isEqualTo(1);
                assertThat(caseOf(id).deferredUntil()).isNull();
            }
        });
    }

    @Test
    @Order(2)
    void convertsThePaymentToUsdAtTheDaysRateAndCountsItForThePayer() {
        healthyFeed();
        String payer = ResidentId.random();
        Decision decision = decide(payment(payer, "PAY" + UUID.randomUUID()));
        assertThat(decision.status()).isEqualTo(ReceiptStatus.RELEASED);
        assertThat(decision.message()).contains("327.30 CNY = USD 46.10 at 7.1000 per USD");
        assertThat(used(payer)).isEqualByComparingTo("46.10");
    }

    @Test
    @Order(3)
    void checksThePaymentAgainstTheRegisterAndTheOrder() {
        healthyFeed();
        ObjectNode unknownFirm = Samples.declaration();
        ((ObjectNode) unknownFirm.get("payment")).put("payCode", "3101969999");
        assertThat(decide(submitted(unknownFirm)).reasonCode()).isEqualTo("FX_PAYMENT_FIRM_UNREGISTERED");

        ObjectNode withdrawn = Samples.declaration();
        ((ObjectNode) withdrawn.get("payment")).put("payCode", "3101960020");
        assertThat(decide(submitted(withdrawn)).reasonCode()).isEqualTo("FX_PAYMENT_FIRM_UNREGISTERED");

        ObjectNode amount = Samples.declaration();
        ((ObjectNode) amount.get("payment")).put("amountPaid", new BigDecimal("300.00"));
        assertThat(decide(submitted(amount)).reasonCode()).isEqualTo("FX_AMOUNT_MISMATCH");

        ObjectNode currency = Samples.declaration();
        ((ObjectNode) currency.get("payment")).put("currency", "EUR");
        assertThat(decide(submitted(currency)).reasonCode()).isEqualTo("FX_CURRENCY_MISMATCH");

        ObjectNode unquoted = Samples.declaration();
        ((ObjectNode) unquoted.get("payment")).put("currency", "CHF");
        ((ObjectNode) unquoted.get("order")).put("currency", "CHF");
        assertThat(decide(submitted(unquoted)).reasonCode()).isEqualTo("FX_CURRENCY_NOT_QUOTED");

        ObjectNode large = Samples.declaration();
        ((ObjectNode) large.get("payment")).put("amountPaid", new BigDecimal("400000.00"));
        ((ObjectNode) large.get("order")).put("actualPaid", new BigDecimal("400000.00"));
        Decision overCap = decide(submitted(large));
        assertThat(overCap.reasonCode()).isEqualTo("FX_TRANSACTION_CAP");
        assertThat(overCap.message()).contains("USD 56338.03");
    }

    @Test
    @Order(4)
    void aPaymentTransactionPaysForOneLiveDeclarationOnly() {
        healthyFeed();
        String transaction = "PAY" + UUID.randomUUID();
        DeclarationSubmitted first = payment(ResidentId.random(), transaction);
        assertThat(decide(first).status()).isEqualTo(ReceiptStatus.RELEASED);
        assertThat(decide(payment(ResidentId.random(), transaction)).reasonCode()).isEqualTo("FX_DUPLICATE_TRANSACTION");
        // the first declaration is rejected elsewhere: its transaction is free again
        deliver(Topology.DECLARATION_SUBMITTED, first.declarationId(), first); // the intake knows it (no second decision: same id)
        deliver(Topology.DECLARATION_CONCLUDED, first.declarationId(),
                new DeclarationConcluded(first.declarationId(), Outcome.REJECTED, OffsetDateTime.now()));
        assertThat(decide(payment(ResidentId.random(), transaction)).status()).isEqualTo(ReceiptStatus.RELEASED);
    }

    @Test
    @Order(5)
    void fiftyConcurrentPaymentsOfOnePersonNeverPassTheAnnualCap() throws Exception {
        healthyFeed();
        String payer = ResidentId.random();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Callable<Decision>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(() -> decide(payment(payer, "PAY" + UUID.randomUUID())));
            }
            List<Decision> decisions = new ArrayList<>();
            for (Future<Decision> f : pool.invokeAll(calls)) {
                decisions.add(f.get());
            }
            // cap USD 100 in this test: two payments of USD 46.10 fit, a third does not
            assertThat(decisions.stream().filter(d -> d.status() == ReceiptStatus.RELEASED)).hasSize(2);
            assertThat(decisions.stream().filter(d -> "FX_ANNUAL_CAP".equals(d.reasonCode()))).hasSize(48);
            assertThat(used(payer)).isEqualByComparingTo("92.20");
            assertThat(jdbc.sql("select count(*) from payment_record where payer_key = ? and state = 'RESERVED'")
                    .param(ledger.payerKey(payer)).query(Long.class).single()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(6)
    void rejectionAndCancellationReleaseThePayersYearExactlyAndARedeliveryChangesNothing() {
        healthyFeed();
        String payer = ResidentId.random();
        DeclarationSubmitted cleared = payment(payer, "PAY" + UUID.randomUUID());
        deliver(Topology.DECLARATION_SUBMITTED, cleared.declarationId(), cleared);
        deliver(Topology.DECLARATION_CONCLUDED, cleared.declarationId(),
                new DeclarationConcluded(cleared.declarationId(), Outcome.CLEARED, OffsetDateTime.now()));
        BigDecimal before = used(payer);
        assertThat(before).isEqualByComparingTo("46.10");

        DeclarationSubmitted cancelled = payment(payer, "PAY" + UUID.randomUUID());
        deliver(Topology.DECLARATION_SUBMITTED, cancelled.declarationId(), cancelled);
        assertThat(used(payer)).isEqualByComparingTo("92.20");
        var cancellation = new org.singlewindow.contract.DeclarationCancelled(cancelled.declarationId(), "withdrawn", OffsetDateTime.now());
        deliver(Topology.DECLARATION_CANCELLED, cancelled.declarationId(), cancellation);
        assertThat(used(payer)).isEqualByComparingTo(before);

        // the same outcome again (a redelivery under a new message id, or the window re-announcing it)
        deliver(Topology.DECLARATION_CANCELLED, cancelled.declarationId(), cancellation);
        deliver(Topology.DECLARATION_CONCLUDED, cleared.declarationId(),
                new DeclarationConcluded(cleared.declarationId(), Outcome.CLEARED, OffsetDateTime.now()));
        deliver(Topology.DECLARATION_SUBMITTED, cancelled.declarationId(), cancelled);
        assertThat(used(payer)).isEqualByComparingTo(before);
        for (UUID id : List.of(cleared.declarationId(), cancelled.declarationId())) {
            assertThat(jdbc.sql("select count(*) from sent_receipt where declaration_id = ? and kind = 'SETTLEMENT'")
                    .param(id).query(Long.class).single()).isEqualTo(1);
        }
        assertThat(jdbc.sql("select state from payment_record where declaration_id = ?").param(cancelled.declarationId())
                .query(String.class).single()).isEqualTo("RELEASED");
    }
}

package org.singlewindow.declaration.intake;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.Samples;
import org.singlewindow.contract.Topology;
import org.singlewindow.declaration.DeclarationApplication;
import org.singlewindow.infra.embedded.TestInfrastructure;
import org.singlewindow.infra.embedded.Tokens;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The declaration service's API against a real broker and database, with tokens from the embedded
 * issuer (the realm file's users and clients). No agency runs here, so the messages it fans out stay
 * on the agency queues, where the test counts them.
 */
@SpringBootTest(classes = DeclarationApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.server.port=0")
class DeclarationApiIT {

    private static final TestInfrastructure infra = TestInfrastructure.start();
    private static final String CUSTOMS_QUEUE = Topology.agencyQueue(Agency.CUSTOMS);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        infra.springProperties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @AfterAll
    static void stop() {
        infra.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RabbitTemplate rabbit;

    private final HttpClient http = HttpClient.newHttpClient();
    private static final Tokens tokens = new Tokens(TestInfrastructure.issuer().issuer());
    private static final String ENTERPRISE_A = tokens.user("enterprise-a");
    private static final String ENTERPRISE_B = tokens.user("enterprise-b");

    @Test
    void acceptsAValidDeclarationAndFansItOutOnce() throws Exception {
        long before = published();
        HttpResponse<String> response = post(Samples.declaration(), "key-" + UUID.randomUUID());

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = Json.mapper().readTree(response.body());
        String id = body.get("id").asString();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/declarations/" + id);
        assertThat(body.get("status").asString()).isEqualTo("RECEIVED");
        await().atMost(Duration.ofSeconds(20)).until(() -> published() == before + 1);

        HttpResponse<String> view = get("/api/v1/declarations/" + id);
        assertThat(view.statusCode()).isEqualTo(200);
        JsonNode declaration = Json.mapper().readTree(view.body());
        assertThat(declaration.get("status").asString()).isEqualTo("RECEIVED");
        assertThat(declaration.get("timeline").get(0).get("kind").asString()).isEqualTo("SUBMITTED");
        assertThat(declaration.get("agencies")).hasSize(5);
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameDeclarationAndPublishesNothingNew() throws Exception {
        ObjectNode declaration = Samples.declaration();
        String key = "key-" + UUID.randomUUID();
        HttpResponse<String> first = post(declaration, key);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("select count(*) from outbox").query(Long.class).single() == 0);
        long before = published();

        HttpResponse<String> second = post(declaration, key);

        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(id(second)).isEqualTo(id(first));
        assertThat(jdbc.sql("select count(*) from outbox").query(Long.class).single()).isZero();
        Thread.sleep(500);
        assertThat(published()).isEqualTo(before);
    }

    @Test
    void theSameKeyWithADifferentBodyIsAConflict() throws Exception {
        String key = "key-" + UUID.randomUUID();
        assertThat(post(Samples.declaration(), key).statusCode()).isEqualTo(202);

        HttpResponse<String> conflict = post(Samples.declaration(), key);

        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void theSamePlatformOrderWithoutAKeyReturnsTheExistingDeclaration() throws Exception {
        String orderNo = "ORD-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> first = post(Samples.declaration(orderNo), null);
        HttpResponse<String> again = post(Samples.declaration(orderNo), null);

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(id(again)).isEqualTo(id(first));
        assertThat(jdbc.sql("select count(*) from declaration where order_no = ?").param(orderNo).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void invalidInputIsA400ProblemListingEveryFieldAndRule() throws Exception {
        ObjectNode declaration = Samples.declaration();
        ((ObjectNode) declaration.get("order")).remove("orderNo");
        ((ObjectNode) declaration.get("items").get(0)).put("hsCode", "12AB");
        long before = jdbc.sql("select count(*) from declaration").query(Long.class).single();

        HttpResponse<String> response = post(declaration, null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString() + ":" + e.get("rule").asString()))
                .contains("/order/orderNo:required", "/items/0/hsCode:pattern");
        assertThat(jdbc.sql("select count(*) from declaration").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void malformedJsonWrongMediaTypeAndUnknownIdsAre4xxProblems() throws Exception {
        HttpResponse<String> malformed = http.send(HttpRequest.newBuilder(uri("/api/v1/declarations"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ENTERPRISE_A).POST(HttpRequest.BodyPublishers.ofString("{\"guid\": ")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> text = http.send(HttpRequest.newBuilder(uri("/api/v1/declarations"))
                .header("Content-Type", "text/plain").header("Authorization", "Bearer " + ENTERPRISE_A).POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> notUuid = get("/api/v1/declarations/not-a-uuid");
        HttpResponse<String> unknown = get("/api/v1/declarations/" + UUID.randomUUID());
        HttpResponse<String> badFilter = get("/api/v1/declarations?status=SOMEWHERE&size=1000");

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(notUuid.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(badFilter.statusCode()).isEqualTo(400);
        for (var r : java.util.List.of(malformed, text, notUuid, unknown, badFilter)) {
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @Test
    void cancellationTellsEveryAgencyAndIsFinal() throws Exception {
        String id = id(post(Samples.declaration(), null));
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("select count(*) from outbox").query(Long.class).single() == 0);
        long before = published();

        HttpResponse<String> cancelled = http.send(HttpRequest.newBuilder(uri("/api/v1/declarations/" + id + "/cancellation"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ENTERPRISE_A)
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"customer changed their mind\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertThat(Json.mapper().readTree(cancelled.body()).get("status").asString()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(20)).until(() -> published() == before + 1);
        assertThat(jdbc.sql("select count(*) from declaration_event where kind = 'CANCELLED' and declaration_id = ?")
                .param(UUID.fromString(id)).query(Long.class).single()).isEqualTo(1);
        HttpResponse<String> again = cancel(id, ENTERPRISE_A);
        assertThat(again.statusCode()).isEqualTo(202);
        Thread.sleep(500);
        assertThat(published()).isEqualTo(before + 1);
        HttpResponse<String> list = get("/api/v1/declarations?status=CANCELLED&size=200");
        assertThat(list.body()).contains(id);
    }

    // --- identity: who may do what -------------------------------------------------------------

    @Test
    void theDeclarantRecordedIsTheTokensEnterpriseAndABodyClaimingAnotherIsRefused() throws Exception {
        String id = id(post(Samples.declaration(), null));
        assertThat(jdbc.sql("select enterprise_id from declaration where id = ?").param(UUID.fromString(id))
                .query(String.class).single()).isEqualTo("4101960005");

        ObjectNode impostor = Samples.declaration();
        ((ObjectNode) impostor.get("declarant")).put("agentCode", "4101960099");
        long before = jdbc.sql("select count(*) from declaration").query(Long.class).single();
        HttpResponse<String> refused = post(impostor, null);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("/declarant/agentCode").contains("tenant");
        assertThat(jdbc.sql("select count(*) from declaration").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void anotherEnterprisesDeclarationIsNotFoundForReadingCancellingOrListing() throws Exception {
        String ofA = id(post(Samples.declaration(), null));
        ObjectNode declarationOfB = Samples.declaration();
        ((ObjectNode) declarationOfB.get("declarant")).put("agentCode", "4101960099");
        String ofB = id(post(declarationOfB, null, ENTERPRISE_B));

        HttpResponse<String> read = get("/api/v1/declarations/" + ofA, ENTERPRISE_B);
        HttpResponse<String> cancel = cancel(ofA, ENTERPRISE_B);
        HttpResponse<String> unknown = get("/api/v1/declarations/" + UUID.randomUUID(), ENTERPRISE_B);

        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(cancel.statusCode()).isEqualTo(404);
        assertThat(read.body()).doesNotContain("4101960005").doesNotContain("RECEIVED");
        // "not found" for another's reads exactly like "not found" for one that never existed
        assertThat(Json.mapper().readTree(read.body()).get("title").asString())
                .isEqualTo(Json.mapper().readTree(unknown.body()).get("title").asString());
        assertThat(jdbc.sql("select status from declaration where id = ?").param(UUID.fromString(ofA))
                .query(String.class).single()).isEqualTo("RECEIVED");
        String listOfB = get("/api/v1/declarations?size=200", ENTERPRISE_B).body();
        assertThat(listOfB).contains(ofB).doesNotContain(ofA).doesNotContain("4101960005");
        assertThat(get("/api/v1/declarations?size=200", ENTERPRISE_A).body()).contains(ofA).doesNotContain(ofB);
    }

    @Test
    void anotherEnterpriseCannotTakeOverOrProbeAnOrderAlreadyDeclared() throws Exception {
        String orderNo = "ORD-" + UUID.randomUUID().toString().substring(0, 8);
        String ofA = id(post(Samples.declaration(orderNo), null));
        ObjectNode same = Samples.declaration(orderNo);
        ((ObjectNode) same.get("declarant")).put("agentCode", "4101960099");

        HttpResponse<String> byB = post(same, null, ENTERPRISE_B);

        assertThat(byB.statusCode()).isEqualTo(409);
        assertThat(byB.body()).doesNotContain(ofA);
    }

    @Test
    void requestsWithoutAValidTokenAre401ProblemsWithABearerChallenge() throws Exception {
        var issuer = TestInfrastructure.issuer();
        Instant now = Instant.now();
        JWTClaimsSet.Builder good = new JWTClaimsSet.Builder().issuer(issuer.issuer()).subject("s").audience("single-window")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("realm_access", Map.of("roles", List.of("enterprise"))).claim("enterprise_id", "4101960005");
        String control = issuer.sign(good.build());
        String wrongIssuer = issuer.sign(good.issuer("http://127.0.0.1:1/realms/elsewhere").build());
        String wrongAudience = issuer.sign(good.issuer(issuer.issuer()).audience("account").build());
        String expired = issuer.sign(good.audience("single-window").issueTime(Date.from(now.minusSeconds(600)))
                .expirationTime(Date.from(now.minusSeconds(60))).build());
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), good.expirationTime(Date.from(now.plusSeconds(300))).build());
        forged.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
        String foreignApp = tokens.password("sw-foreign-app", "enterprise-a", Tokens.DEMO_PASSWORD);

        assertThat(get("/api/v1/declarations", control).statusCode()).as("the control token is good").isEqualTo(200);
        for (String token : java.util.Arrays.asList(null, "not-a-jwt", wrongIssuer, wrongAudience, expired, forged.serialize(), foreignApp)) {
            HttpResponse<String> response = get("/api/v1/declarations", token);
            assertThat(response.statusCode()).as(String.valueOf(token)).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(post(Samples.declaration(), null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void rolesDecideTheRestOfficersAndServicesCannotFileAndEnterprisesCannotReachInternals() throws Exception {
        String officer = tokens.user("customs-officer");
        String admin = tokens.user("admin");
        String service = tokens.client("sw-customs", "sandbox-customs-secret");
        String id = id(post(Samples.declaration(), null));

        assertThat(get("/api/v1/declarations", officer).statusCode()).isEqualTo(403);
        assertThat(post(Samples.declaration(), null, officer).statusCode()).isEqualTo(403);
        assertThat(post(Samples.declaration(), null, service).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/declarations", admin).statusCode()).isEqualTo(403);

        assertThat(get("/internal/v1/declarations/" + id + "/window-status", null).statusCode()).isEqualTo(401);
        assertThat(get("/internal/v1/declarations/" + id + "/window-status", ENTERPRISE_A).statusCode()).isEqualTo(403);
        assertThat(get("/internal/v1/declarations/" + id + "/window-status", tokens.client("sw-probe", "sandbox-probe-secret"))
                .statusCode()).isEqualTo(403);
        HttpResponse<String> internal = get("/internal/v1/declarations/" + id + "/window-status", service);
        assertThat(internal.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(internal.body()).get("agencies")).hasSize(5);

        assertThat(get("/api/v1/admin/declaration/dead-letters", ENTERPRISE_A).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/admin/declaration/dead-letters", admin).statusCode()).isEqualTo(200);
        assertThat(get("/v3/api-docs", null).statusCode()).isEqualTo(200);
    }

    /** Answer as an agency would: a receipt on the receipts exchange, under the given message id. */
    private void receipt(String messageId, String declarationId, Agency agency, Receipt.Kind kind, ReceiptStatus status, String reason) {
        Receipt receipt = new Receipt(UUID.fromString(messageId), UUID.fromString(declarationId), agency, kind, status, reason,
                agency.key() + " " + reason, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), null);
        rabbit.send(Topology.RECEIPTS_EXCHANGE, receipt.routingKey(), org.springframework.amqp.core.MessageBuilder
                .withBody(Json.mapper().writeValueAsBytes(receipt)).setMessageId(messageId).setContentType("application/json")
                .setHeader(org.singlewindow.contract.Headers.DECLARATION_ID, declarationId).build());
    }

    @Test
    void theOutcomeStartsTheFollowUpsWhichCompleteOnceEveryAgencySettledRedeliveriesIncluded() throws Exception {
        long submitted = published();
        String id = id(post(Samples.declaration(), "key-" + UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(20)).until(() -> published() == submitted + 1);
        long before = submitted + 1;
        for (Agency agency : Agency.values()) {
            receipt(UUID.randomUUID().toString(), id, agency, Receipt.Kind.DECISION, ReceiptStatus.RELEASED, "OK");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Json.mapper().readTree(get("/api/v1/declarations/" + id).body())
                .path("followUps").path("outcome").asString("").equals("CLEARED"));
        // declaration.concluded.v1 reaches every agency's queue
        await().atMost(Duration.ofSeconds(20)).until(() -> published() == before + 1);

        for (Agency agency : Agency.values()) {
            String messageId = UUID.randomUUID().toString();
            receipt(messageId, id, agency, Receipt.Kind.SETTLEMENT, ReceiptStatus.CLOSED, "NOTHING_RESERVED");
            receipt(messageId, id, agency, Receipt.Kind.SETTLEMENT, ReceiptStatus.CLOSED, "NOTHING_RESERVED"); // redelivered
        }
        JsonNode view = await().atMost(Duration.ofSeconds(20)).until(() -> Json.mapper().readTree(get("/api/v1/declarations/" + id).body()),
                v -> v.path("followUps").path("completedAt").isString());
        assertThat(view.get("status").asString()).isEqualTo("CLEARED");
        assertThat(view.get("followUps").get("settled")).hasSize(5);
        Thread.sleep(500);
        view = Json.mapper().readTree(get("/api/v1/declarations/" + id).body());
        assertThat(view.get("receipts").valueStream().filter(r -> r.get("kind").asString().equals("SETTLEMENT"))).hasSize(5);
        assertThat(view.get("timeline").valueStream().filter(e -> e.get("kind").asString().equals("SETTLED"))).hasSize(5);
        assertThat(view.get("timeline").valueStream().filter(e -> e.get("kind").asString().equals("FOLLOW_UPS_COMPLETE"))).hasSize(1);
        assertThat(view.get("agencies").valueStream().allMatch(a -> a.get("decision").asString().equals("RELEASED")
                && a.get("settlement").asString().equals("NOTHING_RESERVED"))).isTrue();
        assertThat(published()).isEqualTo(before + 1);
    }

    private long published() {
        return rabbit.execute(channel -> (long) channel.queueDeclarePassive(CUSTOMS_QUEUE).getMessageCount());
    }

    private static String id(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body()).get("id").asString();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(path, ENTERPRISE_A);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> cancel(String id, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/declarations/" + id + "/cancellation"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(JsonNode body, String idempotencyKey) throws Exception {
        return post(body, idempotencyKey, ENTERPRISE_A);
    }

    private HttpResponse<String> post(JsonNode body, String idempotencyKey, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/v1/declarations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

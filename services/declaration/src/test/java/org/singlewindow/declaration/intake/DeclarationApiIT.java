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
import org.singlewindow.contract.reference.PartyRegister;
import org.singlewindow.declaration.DeclarationApplication;
import org.singlewindow.infra.embedded.StateColumns;
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
import java.nio.charset.StandardCharsets;
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
        properties = {"management.server.port=0", "sw.webhooks.allowed-networks=127.0.0.0/8"})
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
    @Autowired
    org.singlewindow.kit.Pruning pruning;

    private final HttpClient http = HttpClient.newHttpClient();
    private static final Tokens tokens = new Tokens(TestInfrastructure.issuer().issuer());
    private static final String ENTERPRISE_A = tokens.user("enterprise-a");
    private static final String ENTERPRISE_B = tokens.user("enterprise-b");

    /** The values a column's check constraint allows, read from the database. */
    private java.util.Set<String> allowed(String constraint) {
        return StateColumns.allowed(jdbc.sql(StateColumns.DEFINITION).param(constraint).query(String.class).single());
    }

    private static java.util.Set<String> names(Enum<?>[] values) {
        return StateColumns.names(values);
    }

    @Test
    void everyStateColumnAllowsExactlyItsJavaEnum() {
        assertThat(allowed("declaration_status_check"))
                .isEqualTo(names(org.singlewindow.declaration.lifecycle.DeclarationStatus.values()));
        assertThat(allowed("declaration_return_state_check"))
                .isEqualTo(names(org.singlewindow.declaration.lifecycle.ReturnSaga.State.values()));
        assertThat(allowed("party_confirmation_role_check")).isEqualTo(names(PartyConfirmations.Role.values()));
        assertThat(allowed("declaration_event_kind_check"))
                .isEqualTo(names(org.singlewindow.declaration.lifecycle.TimelineKind.values()));
        assertThat(allowed("webhook_delivery_state_check"))
                .isEqualTo(names(org.singlewindow.declaration.webhooks.DeliveryState.values()));
    }

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

    @Test
    void aDirectImportIsTakenNamingItsSiteOrNoneAndABondedWarehouseIsNotItsSite() throws Exception {
        ObjectNode direct = Samples.directImport();
        ((ObjectNode) direct.get("logistics")).put("warehouseCode", "ZZBW01");
        long before = jdbc.sql("select count(*) from declaration").query(Long.class).single();
        HttpResponse<String> refused = post(direct, null); // ZZBW01 is a bonded warehouse, not a supervised site
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("/logistics/warehouseCode").contains("not a registered supervised site");
        assertThat(jdbc.sql("select count(*) from declaration").query(Long.class).single()).isEqualTo(before);

        ((ObjectNode) direct.get("logistics")).put("warehouseCode", "ZZKJ01");
        HttpResponse<String> taken = post(direct, null);
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(202);
        assertThat(jdbc.sql("select declaration_type from declaration where id = ?").param(UUID.fromString(id(taken)))
                .query(String.class).single()).isEqualTo("DIRECT_IMPORT_9610");
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
    void theWithholdingAgentIsAPartyOfTheList() throws Exception {
        ObjectNode stranger = Samples.declaration();
        ((ObjectNode) stranger.get("declarant")).put("assureCode", "4101960099");
        HttpResponse<String> refused = post(stranger, null);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("/declarant/assureCode").contains("order.ebpCode, order.ebcCode or logistics.logisticsCode");

        ObjectNode platform = Samples.declaration();
        ((ObjectNode) platform.get("declarant")).put("assureCode", platform.get("order").get("ebpCode").asString());
        assertThat(post(platform, null).statusCode()).isEqualTo(202);
    }

    @Test
    void anotherEnterprisesDeclarationIsNotFoundForReadingCancellingOrListing() throws Exception {
        String ofA = id(post(Samples.declaration(), null));
        String ofB = id(post(ofB(Samples.declaration()), null, ENTERPRISE_B));

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
    void anEnterpriseFindsItsDeclarationsByOrderNumberOrItsBeginningAndOnlyItsOwn() throws Exception {
        String stem = "ORD-" + UUID.randomUUID().toString().substring(0, 8);
        String first = id(post(Samples.declaration(stem + "-1"), null));
        String second = id(post(Samples.declaration(stem + "-2"), null));
        String ofB = id(post(ofB(Samples.declaration(stem + "-1")), null, ENTERPRISE_B));

        JsonNode whole = Json.mapper().readTree(get("/api/v1/declarations?orderNo=" + stem + "-1", ENTERPRISE_A).body());
        assertThat(whole.get("total").asLong()).isEqualTo(1);
        assertThat(whole.get("items").get(0).get("id").asString()).isEqualTo(first);
        JsonNode beginning = Json.mapper().readTree(get("/api/v1/declarations?orderNo=" + stem, ENTERPRISE_A).body());
        assertThat(beginning.get("items").valueStream().map(i -> i.get("id").asString()).toList())
                .containsExactlyInAnyOrder(first, second).doesNotContain(ofB);
        // taken literally: _ (allowed in order numbers) is no wildcard
        assertThat(Json.mapper().readTree(get("/api/v1/declarations?orderNo=" + stem.replace('-', '_'), ENTERPRISE_A).body())
                .get("total").asLong()).isZero();
        for (String bad : List.of("9".repeat(61), "ORD-%25", "ORD%20")) {
            HttpResponse<String> refused = get("/api/v1/declarations?orderNo=" + bad, ENTERPRISE_A);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).contains("orderNo").contains("pattern");
        }
    }

    @Test
    void anotherEnterpriseCannotTakeOverOrProbeAnOrderAlreadyDeclared() throws Exception {
        String orderNo = "ORD-" + UUID.randomUUID().toString().substring(0, 8);
        String ofA = id(post(Samples.declaration(orderNo), null));

        // B sells on the same marketplace: the same order number for its own goods is its own order, filed
        // beside A's; it neither blocks A's nor learns anything about it
        HttpResponse<String> byB = post(ofB(Samples.declaration(orderNo)), null, ENTERPRISE_B);
        assertThat(byB.statusCode()).isEqualTo(202);
        assertThat(id(byB)).isNotEqualTo(ofA);
        assertThat(byB.body()).doesNotContain(ofA).doesNotContain("4101960005");
        // B naming A's seller is refused before any order is looked up (party register)
        ObjectNode asAsSeller = Samples.declaration(orderNo);
        ((ObjectNode) asAsSeller.get("declarant")).put("agentCode", "4101960099");
        HttpResponse<String> claimed = post(asAsSeller, null, ENTERPRISE_B);
        assertThat(claimed.statusCode()).isEqualTo(422);
        assertThat(claimed.body()).doesNotContain(ofA).doesNotContain("already declared");
        // A's own order is still A's: the same order again is a replay of it
        HttpResponse<String> again = post(Samples.declaration(orderNo), null);
        assertThat(id(again)).isEqualTo(ofA);
    }

    // --- the party register: which codes a caller may declare with ---------------------------------

    @Test
    void codesOfPartiesThatDidNotAuthoriseTheCallerAreRefusedNamingEachField() throws Exception {
        long before = jdbc.sql("select count(*) from declaration").query(Long.class).single();
        // B files for A's seller (4101960002 authorised enterprise-a only)
        ObjectNode forAsSeller = ofB(Samples.declaration());
        ((ObjectNode) forAsSeller.get("order")).put("ebcCode", "4101960002");
        HttpResponse<String> refused = post(forAsSeller, null, ENTERPRISE_B);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Json.mapper().readTree(refused.body());
        assertThat(problem.get("errors").valueStream().map(v -> v.get("field").asString()).toList())
                .containsExactly("/order/ebcCode");
        assertThat(problem.get("errors").get(0).get("rule").asString()).isEqualTo("party-register");

        // unregistered codes in every role; the answer for an unknown code reads exactly as for a code
        // registered to a party that did not authorise the caller, so nothing is learnt about others
        ObjectNode unknown = ofB(Samples.declaration());
        ((ObjectNode) unknown.get("order")).put("ebpCode", "9999999991").put("ebcCode", "4101960002");
        ((ObjectNode) unknown.get("payment")).put("payCode", "9999999992");
        ((ObjectNode) unknown.get("logistics")).put("logisticsCode", "9999999993");
        JsonNode all = Json.mapper().readTree(post(unknown, null, ENTERPRISE_B).body());
        assertThat(all.get("errors").valueStream().map(v -> v.get("field").asString()).toList())
                .containsExactly("/order/ebpCode", "/order/ebcCode", "/payment/payCode", "/logistics/logisticsCode");
        assertThat(all.get("errors").get(1).get("message").asString())
                .isEqualTo(problem.get("errors").get(0).get("message").asString());
        assertThat(refused.body()).doesNotContain("4101960005").doesNotContain("Global Baby Goods");
        assertThat(jdbc.sql("select count(*) from declaration").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void anAuthorisationLoadedByAnAdministratorTakesEffectAtOnce() throws Exception {
        String admin = tokens.user("admin");
        ObjectNode forAsSeller = ofB(Samples.declaration());
        ((ObjectNode) forAsSeller.get("order")).put("ebcCode", "4101960002");
        assertThat(post(forAsSeller, null, ENTERPRISE_B).statusCode()).isEqualTo(422);

        String sandbox = new String(PartyRegister.sandboxDocument(), StandardCharsets.UTF_8);
        // the seller 4101960002 now authorises enterprise-b too
        String widened = sandbox.replace("\"version\": \"sandbox-1\"", "\"version\": \"sandbox-1-widened\"")
                .replace("\"roles\": [\"E_COMMERCE_ENTERPRISE\"],\n     \"authorisedAgents\": [\"4101960005\"]",
                        "\"roles\": [\"E_COMMERCE_ENTERPRISE\"],\n     \"authorisedAgents\": [\"4101960005\", \"4101960099\"]");
        assertThat(widened).contains("sandbox-1-widened").contains("[\"4101960005\", \"4101960099\"]");
        try {
            HttpResponse<String> loaded = put("/api/v1/admin/declaration/reference/party-register", widened, admin);
            assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
            assertThat(post(forAsSeller, null, ENTERPRISE_B).statusCode()).isEqualTo(202);
            // an enterprise may not load a register; a broken one is refused and changes nothing
            assertThat(put("/api/v1/admin/declaration/reference/party-register", widened, ENTERPRISE_B).statusCode()).isEqualTo(403);
            HttpResponse<String> broken = put("/api/v1/admin/declaration/reference/party-register",
                    widened.replace("\"4101960001\"", "\"41\""), admin);
            assertThat(broken.statusCode()).isEqualTo(422);
            assertThat(get("/api/v1/admin/declaration/reference/party-register", admin).body()).contains("sandbox-1-widened");
        } finally {
            assertThat(put("/api/v1/admin/declaration/reference/party-register", sandbox, admin).statusCode()).isEqualTo(200);
        }
        ObjectNode again = ofB(Samples.declaration());
        ((ObjectNode) again.get("order")).put("ebcCode", "4101960002");
        assertThat(post(again, null, ENTERPRISE_B).statusCode()).isEqualTo(422);
    }

    /**
     * A declaration of enterprise-b: declared by itself, for its own goods, paid through and carried by
     * the firms that authorised it, on the marketplace both sell on (party register).
     */
    private static ObjectNode ofB(ObjectNode declaration) {
        ((ObjectNode) declaration.get("declarant")).put("agentCode", "4101960099");
        ((ObjectNode) declaration.get("order")).put("ebcCode", "4101960099");
        ((ObjectNode) declaration.get("payment")).put("payCode", "3101960010");
        ((ObjectNode) declaration.get("logistics")).put("logisticsCode", "4101960097").put("warehouseCode", "LYBW01");
        return declaration;
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
        HttpResponse<String> apiDocs = get("/v3/api-docs", null);
        assertThat(apiDocs.statusCode()).isEqualTo(200);
        // the document shows neither the internal API nor this service's own address; the one address in it is the
        // realm's, where Swagger UI's Authorize sends the browser to log in
        String documented = apiDocs.body().replace(TestInfrastructure.issuer().issuer(), "<realm>");
        assertThat(documented).contains("Single Window").contains("/api/v1/declarations")
                .contains("\"authorizationUrl\":\"<realm>/protocol/openid-connect/auth\"")
                .doesNotContain("/internal/v1").doesNotContain("127.0.0.1").doesNotContain(":" + port);
    }

    /**
     * Answer as an agency would: a receipt on the receipts exchange, under the given message id, its
     * user-id the agency's broker user (every service is guest in this test: TestInfrastructure).
     */
    private void receipt(String messageId, String declarationId, Agency agency, Receipt.Kind kind, ReceiptStatus status, String reason) {
        receipt(messageId, declarationId, agency, kind, status, reason, "guest");
    }

    private void receipt(String messageId, String declarationId, Agency agency, Receipt.Kind kind, ReceiptStatus status, String reason,
                         String userId) {
        Receipt receipt = new Receipt(UUID.fromString(messageId), UUID.fromString(declarationId), agency, kind, status, reason,
                agency.key() + " " + reason, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), null);
        rabbit.send(Topology.RECEIPTS_EXCHANGE, receipt.routingKey(), org.springframework.amqp.core.MessageBuilder
                .withBody(Json.mapper().writeValueAsBytes(receipt)).setMessageId(messageId).setContentType("application/json")
                .setUserId(userId).setHeader(org.singlewindow.contract.Headers.DECLARATION_ID, declarationId).build());
    }

    @Test
    void afterTheRetentionAFinalDeclarationKeepsItsRecordButNotItsPeople() throws Exception {
        long submitted = published();
        var sample = Samples.declaration();
        String buyerId = sample.at("/order/buyer/idNumber").asString();
        String id = id(post(sample, "key-" + UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(20)).until(() -> published() == submitted + 1);
        for (Agency agency : Agency.values()) {
            receipt(UUID.randomUUID().toString(), id, agency, Receipt.Kind.DECISION, ReceiptStatus.RELEASED, "OK");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Json.mapper().readTree(get("/api/v1/declarations/" + id).body())
                .path("status").asString("").equals("CLEARED"));
        // still within the retention: nothing taken out
        pruning.prune();
        assertThat(get("/api/v1/declarations/" + id).body()).contains(buyerId);

        // three years and a day after its outcome
        jdbc.sql("update declaration set final_at = now() - interval '1096 days' where id = ?").param(UUID.fromString(id)).update();
        assertThat(pruning.prune()).containsEntry("personal-data", 1L);
        JsonNode body = Json.mapper().readTree(get("/api/v1/declarations/" + id).body()).get("declaration");
        assertThat(body.toString()).doesNotContain(buyerId).doesNotContain(sample.at("/order/buyer/name").asString())
                .doesNotContain(sample.at("/order/consignee/address").asString())
                .doesNotContain(sample.at("/payment/payerName").asString());
        assertThat(body.at("/order/orderNo").asString()).isEqualTo(sample.at("/order/orderNo").asString());
        assertThat(body.at("/order/buyer/idType").asString()).isEqualTo(sample.at("/order/buyer/idType").asString());
        assertThat(body.at("/items").size()).isEqualTo(sample.at("/items").size());
        assertThat(body.at("/items/0/itemRecordNo").asString()).isEqualTo(sample.at("/items/0/itemRecordNo").asString());
        assertThat(body.at("/items/0/totalPrice").decimalValue()).isEqualByComparingTo(sample.at("/items/0/totalPrice").decimalValue());
        assertThat(pruning.prune()).containsEntry("personal-data", 0L);
    }

    @Test
    void aReceiptWhosePublisherTheBrokerDoesNotVouchForIsRefused() throws Exception {
        long submitted = published();
        String id = id(post(Samples.declaration(), "key-" + UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(20)).until(() -> published() == submitted + 1);
        String deadLetters = Topology.deadLetterQueue(Topology.DECLARATION_RECEIPTS_QUEUE);
        long before = rabbit.execute(channel -> (long) channel.queueDeclarePassive(deadLetters).getMessageCount());

        receipt(UUID.randomUUID().toString(), id, Agency.CUSTOMS, Receipt.Kind.DECISION, ReceiptStatus.REJECTED, "FORGED", null);

        await().atMost(Duration.ofSeconds(20)).until(() ->
                rabbit.execute(channel -> (long) channel.queueDeclarePassive(deadLetters).getMessageCount()) == before + 1);
        JsonNode view = Json.mapper().readTree(get("/api/v1/declarations/" + id).body());
        assertThat(view.get("status").asString()).isEqualTo("RECEIVED");
        assertThat(view.toString()).doesNotContain("FORGED");
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
            receipt(messageId, id, agency, Receipt.Kind.SETTLEMENT, ReceiptStatus.SETTLED, "NOTHING_RESERVED");
            receipt(messageId, id, agency, Receipt.Kind.SETTLEMENT, ReceiptStatus.SETTLED, "NOTHING_RESERVED"); // redelivered
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
        assertThat(view.get("clearanceCompletedAt").isNull()).isTrue();

        // at the end of the tax period, tax reports the tax paid: clearance complete (899)
        receipt(UUID.randomUUID().toString(), id, Agency.TAX, Receipt.Kind.SETTLEMENT, ReceiptStatus.CLEARANCE_COMPLETE, "TAX_PAID");
        JsonNode complete = awaitView(id, v -> v.path("clearanceCompletedAt").isString());
        assertThat(complete.get("status").asString()).isEqualTo("CLEARED");
        assertThat(complete.get("timeline").valueStream().filter(e -> e.get("kind").asString().equals("CLEARANCE_COMPLETE"))).hasSize(1);
        assertThat(published()).isEqualTo(before + 1);
    }

    private HttpResponse<String> withdraw(String id, String reason) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/declarations/" + id + "/withdrawal"))
                .header("Authorization", "Bearer " + ENTERPRISE_A).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"" + reason + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitView(String id, java.util.function.Predicate<JsonNode> condition) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> Json.mapper().readTree(get("/api/v1/declarations/" + id).body()), condition);
    }

    @Test
    void aWithdrawalLogisticsRefusesLeavesTheDeclarationClearedAndOneItAcceptsEndsWithdrawnOnceAllFiveRestored() throws Exception {
        long submitted = published();
        String id = id(post(Samples.declaration(), "key-" + UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(20)).until(() -> published() == submitted + 1);
        for (Agency agency : Agency.values()) {
            receipt(UUID.randomUUID().toString(), id, agency, Receipt.Kind.DECISION, ReceiptStatus.RELEASED, "OK");
        }
        awaitView(id, v -> v.path("status").asString("").equals("CLEARED"));
        // the agencies are still settling the clearance: apply again later
        HttpResponse<String> early = withdraw(id, "order cancelled");
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("still settling");
        for (Agency agency : Agency.values()) {
            receipt(UUID.randomUUID().toString(), id, agency, Receipt.Kind.SETTLEMENT, ReceiptStatus.SETTLED, "NOTHING_RESERVED");
        }
        awaitView(id, v -> v.path("followUps").path("completedAt").isString());
        await().atMost(Duration.ofSeconds(20)).until(() -> published() == submitted + 2); // declaration.concluded.v1

        HttpResponse<String> applied = withdraw(id, "order cancelled");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(202);
        assertThat(Json.mapper().readTree(applied.body()).get("status").asString()).isEqualTo("WITHDRAWING");
        assertThat(Json.mapper().readTree(applied.body()).get("withdrawal").get("reason").asString()).isEqualTo("order cancelled");
        await().atMost(Duration.ofSeconds(20)).until(() -> published() == submitted + 3); // declaration.withdrawal-requested.v1
        // while it is under way, the same application changes nothing, and no cancellation either
        assertThat(withdraw(id, "again").statusCode()).isEqualTo(202);
        assertThat(cancel(id, ENTERPRISE_A).statusCode()).isEqualTo(409);

        // logistics refuses (the goods left the zone meanwhile): cleared again, the timeline says why
        receipt(UUID.randomUUID().toString(), id, Agency.LOGISTICS, Receipt.Kind.WITHDRAWAL, ReceiptStatus.REJECTED, "GOODS_LEFT_ZONE");
        JsonNode refused = awaitView(id, v -> v.path("status").asString("").equals("CLEARED"));
        assertThat(refused.get("withdrawal").isNull()).isTrue();
        assertThat(refused.get("timeline").valueStream().filter(e -> e.get("kind").asString().equals("WITHDRAWAL_REFUSED"))
                .map(e -> e.get("detail").asString()).findFirst().orElseThrow()).contains("logistics GOODS_LEFT_ZONE");
        assertThat(refused.get("agencies").valueStream().allMatch(a -> a.get("decision").asString().equals("RELEASED"))).isTrue();

        // applied again, logistics accepts: every agency is asked to restore, and when all five have, it is withdrawn
        assertThat(withdraw(id, "order cancelled, goods back").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> published() == submitted + 4);
        receipt(UUID.randomUUID().toString(), id, Agency.LOGISTICS, Receipt.Kind.WITHDRAWAL, ReceiptStatus.WITHDRAWN, "STOCK_RESTORED");
        await().atMost(Duration.ofSeconds(20)).until(() -> published() == submitted + 5); // declaration.withdrawn.v1
        JsonNode accepted = awaitView(id, v -> v.path("timeline").valueStream()
                .anyMatch(e -> e.get("kind").asString().equals("WITHDRAWAL_ACCEPTED")));
        assertThat(accepted.get("status").asString()).isEqualTo("WITHDRAWING");
        for (Agency agency : List.of(Agency.CUSTOMS, Agency.INSPECTION, Agency.TAX, Agency.FOREX)) {
            String messageId = UUID.randomUUID().toString();
            receipt(messageId, id, agency, Receipt.Kind.WITHDRAWAL, ReceiptStatus.WITHDRAWN, "NOTHING_COMMITTED");
            receipt(messageId, id, agency, Receipt.Kind.WITHDRAWAL, ReceiptStatus.WITHDRAWN, "NOTHING_COMMITTED"); // redelivered
        }
        JsonNode withdrawn = awaitView(id, v -> v.path("status").asString("").equals("WITHDRAWN"));
        assertThat(withdrawn.get("withdrawal").get("restored")).hasSize(5);
        assertThat(withdrawn.get("withdrawal").get("completedAt").isString()).isTrue();
        assertThat(withdrawn.get("agencies").valueStream().filter(a -> a.get("agency").asString().equals("logistics"))
                .findFirst().orElseThrow().get("withdrawal").asString()).isEqualTo("STOCK_RESTORED");
        assertThat(published()).isEqualTo(submitted + 5);
    }

    @Test
    void everyStatusChangeAndReceiptOfASubscribersDeclarationsIsDeliveredToItsEndpointSignedAndNothingOfOthers() throws Exception {
        List<String[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        var receiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            var h = exchange.getRequestHeaders();
            received.add(new String[]{h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String subscriptionId = null;
        try {
            HttpResponse<String> subscribed = http.send(HttpRequest.newBuilder(uri("/api/v1/subscriptions"))
                    .header("Authorization", "Bearer " + ENTERPRISE_B).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort()
                            + "/hook\", \"events\": [\"status\", \"receipt\"]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
            subscriptionId = id(subscribed);
            String secret = Json.mapper().readTree(subscribed.body()).get("secret").asString();
            // kept sealed: the database's copy signs nothing
            assertThat(jdbc.sql("select secret from webhook_subscription where id = ?").param(UUID.fromString(subscriptionId))
                    .query(String.class).single()).startsWith("ws:").doesNotContain(secret.substring(6));

            String ofB = id(post(ofB(Samples.declaration()), null, ENTERPRISE_B));
            String ofA = id(post(Samples.declaration(), null));
            receipt(UUID.randomUUID().toString(), ofB, Agency.CUSTOMS, Receipt.Kind.DECISION, ReceiptStatus.RELEASED, "OK");
            receipt(UUID.randomUUID().toString(), ofA, Agency.CUSTOMS, Receipt.Kind.DECISION, ReceiptStatus.RELEASED, "OK");
            await().atMost(Duration.ofSeconds(20)).until(() -> Json.mapper().readTree(get("/api/v1/declarations/" + ofB, ENTERPRISE_B).body())
                    .get("status").asString().equals("IN_REVIEW"));
            assertThat(cancel(ofB, ENTERPRISE_B).statusCode()).isEqualTo(202);

            // submitted, reviewed, cancelled, and customs's receipt: each once, signed with the subscription's secret
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 4);
            Thread.sleep(1_000);
            List<JsonNode> bodies = received.stream().map(r -> Json.mapper().readTree(r[3])).toList();
            assertThat(bodies).allSatisfy(b -> assertThat(b.get("data").get("declarationId").asString()).isEqualTo(ofB));
            assertThat(bodies).extracting(b -> b.get("type").asString() + " " + (b.get("type").asString().equals("declaration.status")
                            ? (b.get("data").get("previousStatus").isNull() ? "-" : b.get("data").get("previousStatus").asString()) + ">" + b.get("data").get("status").asString()
                            : b.get("data").get("receipt").get("agency").asString() + " " + b.get("data").get("receipt").get("statusCode").asInt()))
                    .containsExactlyInAnyOrder("declaration.status ->RECEIVED", "declaration.status RECEIVED>IN_REVIEW",
                            "declaration.status IN_REVIEW>CANCELLED", "declaration.receipt CUSTOMS 800");
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
            for (String[] r : received) {
                assertThat(r[2]).isEqualTo("v1," + java.util.Base64.getEncoder().encodeToString(
                        mac.doFinal((r[0] + "." + r[1] + "." + r[3]).getBytes(StandardCharsets.UTF_8))));
            }
            assertThat(jdbc.sql("select count(*) from webhook_delivery where declaration_id = ?").param(UUID.fromString(ofA))
                    .query(Long.class).single()).isZero();
        } finally {
            receiver.stop(0);
            if (subscriptionId != null) {
                http.send(HttpRequest.newBuilder(uri("/api/v1/subscriptions/" + subscriptionId)).header("Authorization", "Bearer " + ENTERPRISE_B)
                        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            }
        }
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

    private HttpResponse<String> put(String path, String body, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
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

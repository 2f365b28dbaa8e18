package org.singlewindow.sandbox;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.singlewindow.contract.CebSamples;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
import org.singlewindow.infra.embedded.Tokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * Who may see and do what, end to end through the gateway and at the services themselves, with tokens
 * from the platform's issuer: the embedded one (default) or a real Keycloak importing the same realm
 * file ({@code -Dsw.e2e.issuer=...}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityE2EIT {

    private static final List<String> AGENCIES = List.of("customs", "inspection", "tax", "forex", "logistics");
    private static final List<String> SERVICES = List.of("declaration", "customs", "inspection", "tax", "forex", "logistics");

    private static Platform platform;
    private static Tokens tokens;
    private static String declarationOfA;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        platform = E2EPlatform.get();
        tokens = E2EPlatform.tokens();
        SecurityE2EIT self = new SecurityE2EIT();
        HttpResponse<String> submitted = self.submit(Samples.declaration(), tokens.fresh("enterprise-a"));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        declarationOfA = Json.mapper().readTree(submitted.body()).get("id").asString();
        // every agency has it (its back-office and window status can be read)
        for (String agency : AGENCIES) {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    self.call("GET", gateway("/api/v1/" + agency + "/declarations/" + declarationOfA),
                            tokens.fresh(agency + "-officer"), null).statusCode() == 200);
        }
    }

    // --- the authorization matrix: every endpoint, every kind of caller ----------------------------

    /** {@code openTo}: the role (or comma-separated roles) the endpoint is for. */
    private record Endpoint(String method, String path, String openTo) {
    }

    private static List<Endpoint> endpoints(String ownId) {
        List<Endpoint> all = new ArrayList<>();
        all.add(new Endpoint("POST", "/api/v1/declarations", "enterprise"));
        all.add(new Endpoint("GET", "/api/v1/declarations", "enterprise"));
        all.add(new Endpoint("GET", "/api/v1/declarations/" + ownId, "enterprise"));
        all.add(new Endpoint("PUT", "/api/v1/declarations/" + ownId, "enterprise"));
        all.add(new Endpoint("POST", "/api/v1/declarations/" + ownId + "/cancellation", "enterprise"));
        all.add(new Endpoint("POST", "/api/v1/declarations/" + ownId + "/withdrawal", "enterprise"));
        all.add(new Endpoint("POST", "/api/v1/declarations/" + ownId + "/returns", "enterprise"));
        all.add(new Endpoint("GET", "/api/v1/declarations/" + ownId + "/returns/" + UUID.randomUUID(), "enterprise"));
        all.add(new Endpoint("POST", "/api/v1/declarations/confirmations/payment", "enterprise"));
        all.add(new Endpoint("POST", "/api/v1/declarations/confirmations/waybill", "enterprise"));
        for (String agency : AGENCIES) {
            all.add(new Endpoint("GET", "/api/v1/" + agency + "/declarations", agency + "-officer"));
            all.add(new Endpoint("GET", "/api/v1/" + agency + "/declarations/" + declarationOfA, agency + "-officer"));
            all.add(new Endpoint("GET", "/api/v1/" + agency + "/declarations/" + declarationOfA + "/window-status", agency + "-officer"));
            all.add(new Endpoint("POST", "/api/v1/" + agency + "/declarations/" + declarationOfA + "/review", agency + "-officer"));
            all.add(new Endpoint("POST", "/api/v1/" + agency + "/declarations/" + declarationOfA + "/withdrawal-review",
                    agency + "-officer"));
            all.add(new Endpoint("POST", "/api/v1/" + agency + "/declarations/" + declarationOfA + "/returns/" + UUID.randomUUID()
                    + "/review", agency + "-officer"));
        }
        all.add(new Endpoint("POST", "/api/v1/tax/quotes", "enterprise"));
        all.add(new Endpoint("GET", "/api/v1/tax/declarations/" + declarationOfA + "/tax", "tax-officer"));
        // the administrators, split by what they administer ("admin" is the sandbox user holding all three roles)
        all.add(new Endpoint("GET", "/api/v1/admin/tax/guarantee-accounts", "finance-admin,admin"));
        all.add(new Endpoint("GET", "/api/v1/admin/tax/guarantee-accounts/" + E2EPlatform.WITHHOLDING_AGENT, "finance-admin,admin"));
        all.add(new Endpoint("POST", "/api/v1/admin/tax/guarantee-accounts/" + E2EPlatform.WITHHOLDING_AGENT + "/deposits",
                "finance-admin,admin"));
        all.add(new Endpoint("GET", "/api/v1/admin/tax/tax-statements?overdue=true", "finance-admin,admin"));
        all.add(new Endpoint("POST", "/api/v1/admin/tax/tax-statements/TS2026120100000000/payment", "finance-admin,admin"));
        all.add(new Endpoint("GET", "/api/v1/tax/statements", "enterprise"));
        all.add(new Endpoint("GET", "/api/v1/tax/my-quota", "consumer"));
        for (String service : SERVICES) {
            all.add(new Endpoint("GET", "/api/v1/admin/" + service + "/dead-letters", "operations-admin,admin"));
            all.add(new Endpoint("POST", "/api/v1/admin/" + service + "/dead-letters/no-such-queue/replay", "operations-admin,admin"));
            all.add(new Endpoint("GET", "/api/v1/admin/" + service + "/outbox", "operations-admin,admin"));
            all.add(new Endpoint("GET", "/api/v1/admin/" + service + "/reference", "reference-admin,admin"));
            all.add(new Endpoint("GET", "/api/v1/admin/" + service + "/audit", "reference-admin,finance-admin,operations-admin,admin"));
        }
        all.add(new Endpoint("PUT", "/api/v1/admin/customs/reference/customs-risk-rules", "reference-admin,admin"));
        all.add(new Endpoint("PUT", "/api/v1/admin/tax/reference/hs-tariff", "reference-admin,admin"));
        all.add(new Endpoint("GET", "/api/v1/admin/tax/reference/hs-tariff/versions", "reference-admin,admin"));
        all.add(new Endpoint("GET", "/api/v1/admin/tax/reference/hs-tariff/document", "reference-admin,admin"));
        all.add(new Endpoint("POST", "/api/v1/admin/tax/reference/hs-tariff/check", "reference-admin,admin"));
        all.add(new Endpoint("PUT", "/api/v1/admin/inspection/reference/inspection-rules", "reference-admin,admin"));
        all.add(new Endpoint("PUT", "/api/v1/admin/forex/reference/forex-payment-firms", "reference-admin,admin"));
        all.add(new Endpoint("PUT", "/api/v1/admin/declaration/reference/party-register", "reference-admin,admin"));
        all.add(new Endpoint("POST", "/api/v1/logistics/stock-ins", "enterprise"));
        all.add(new Endpoint("GET", "/api/v1/logistics/stock?warehouseCode=ZZBW01", "enterprise,logistics-officer,operations-admin,admin"));
        all.add(new Endpoint("GET", "/api/v1/logistics/waybills/WB" + ownId, "enterprise"));
        all.add(new Endpoint("POST", "/api/v1/logistics/waybills/WB" + ownId + "/events", "enterprise"));
        all.add(new Endpoint("POST", "/api/v1/logistics/returns/" + UUID.randomUUID() + "/arrived", "enterprise"));
        all.add(new Endpoint("GET", "/api/v1/logistics/returns?overdue=true", "logistics-officer"));
        all.add(new Endpoint("POST", "/api/v1/logistics/arrivals", "enterprise"));
        all.add(new Endpoint("GET", "/api/v1/logistics/arrivals?logisticsNo=WB" + ownId, "enterprise,logistics-officer,operations-admin,admin"));
        // webhook subscriptions (one that does not exist: the enterprise is answered 404, others 403)
        String subscription = "/api/v1/subscriptions/" + UUID.randomUUID();
        all.add(new Endpoint("POST", "/api/v1/subscriptions", "enterprise"));
        all.add(new Endpoint("GET", "/api/v1/subscriptions", "enterprise"));
        all.add(new Endpoint("GET", subscription, "enterprise"));
        all.add(new Endpoint("DELETE", subscription, "enterprise"));
        all.add(new Endpoint("POST", subscription + "/secret-rotation", "enterprise"));
        all.add(new Endpoint("GET", subscription + "/deliveries", "enterprise"));
        all.add(new Endpoint("POST", subscription + "/deliveries/1/replay", "enterprise"));
        all.add(new Endpoint("POST", subscription + "/replay", "enterprise"));
        // the CEB XML interface
        all.add(new Endpoint("POST", "/api/v1/ceb/messages", "enterprise"));
        all.add(new Endpoint("GET", "/api/v1/ceb/messages/CEB621/NO-SUCH-GUID", "enterprise"));
        all.add(new Endpoint("GET", "/api/v1/ceb/code-lists", "enterprise"));
        all.add(new Endpoint("GET", "/api/v1/ceb/platform-certificate", "enterprise"));
        return all;
    }

    @Test
    @Order(1)
    void everyEndpointAnswersOnlyTheRoleItIsFor() throws Exception {
        Map<String, String> callers = new LinkedHashMap<>();
        callers.put("enterprise", tokens.fresh("enterprise-a"));
        for (String agency : AGENCIES) {
            callers.put(agency + "-officer", tokens.fresh(agency + "-officer"));
        }
        for (String admin : List.of("reference-admin", "finance-admin", "operations-admin", "admin")) {
            callers.put(admin, tokens.fresh(admin));
        }
        callers.put("consumer", tokens.fresh("consumer"));
        callers.put("platform-service", tokens.client("sw-customs", "sandbox-customs-secret"));

        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Endpoint endpoint : endpoints(declarationOfA)) {
            HttpResponse<String> anonymous = call(endpoint.method(), gateway(endpoint.path()), null, body(endpoint));
            if (anonymous.statusCode() != 401) {
                failures.add("anonymous " + endpoint.method() + " " + endpoint.path() + " -> " + anonymous.statusCode());
            }
        }
        for (var caller : callers.entrySet()) {
            // the enterprise cancels a declaration of its own, made for this row
            String ownId = Json.mapper().readTree(submit(Samples.declaration(), callers.get("enterprise")).body())
                    .get("id").asString();
            for (Endpoint endpoint : endpoints(ownId)) {
                HttpResponse<String> response = call(endpoint.method(), gateway(endpoint.path()), caller.getValue(), body(endpoint));
                int status = response.statusCode();
                boolean allowed = List.of(endpoint.openTo().split(",")).contains(caller.getKey());
                boolean ok = allowed ? status != 401 && status != 403 && status < 500 : status == 403;
                if (!ok) {
                    failures.add(caller.getKey() + " " + endpoint.method() + " " + endpoint.path() + " -> " + status
                            + (allowed ? " (should be allowed)" : " (should be 403)") + " " + response.body());
                }
                if (status >= 400) {
                    assertThat(response.headers().firstValue("Content-Type")).as(endpoint.toString()).hasValue("application/problem+json");
                }
                checked++;
            }
        }
        assertThat(failures).as("authorization matrix (" + checked + " cells)").isEmpty();
        assertThat(checked).isEqualTo(callers.size() * endpoints("x").size());
    }

    @Test
    @Order(2)
    void theGatewayDoesNotRouteInternalOrManagementPaths() throws Exception {
        String service = tokens.client("sw-customs", "sandbox-customs-secret");
        for (String path : List.of("/internal/v1/declarations/" + declarationOfA + "/window-status", "/actuator/prometheus",
                "/api/v2/anything")) {
            int status = call("GET", gateway(path), service, null).statusCode();
            assertThat(status).as(path).isIn(403, 404);
        }
        // health is public, on the management port
        HttpResponse<String> health = call("GET", URI.create("http://127.0.0.1:" + (platform.httpPort("declaration") + 1000)
                + "/actuator/health"), null, null);
        assertThat(health.statusCode()).isEqualTo(200);
    }

    // --- tokens that must not pass -----------------------------------------------------------------

    @Test
    @Order(3)
    void noForgedExpiredForeignOrMisaddressedTokenPassesTheGatewayOrAnyService() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("none", null);
        bad.put("garbage", "not-a-jwt");
        bad.put("forged (signed with another key)", forged());
        bad.put("wrong issuer", wrongIssuer());
        bad.put("wrong audience", tokens.password("sw-foreign-app", "enterprise-a", Tokens.DEMO_PASSWORD));
        // the probe client's tokens live 5 s; the platform's clock skew is 2 s
        String expiring = tokens.client("sw-probe", "sandbox-probe-secret");
        Thread.sleep(8_000);
        bad.put("expired", expiring);

        List<URI> targets = new ArrayList<>();
        targets.add(gateway("/api/v1/declarations"));
        targets.add(URI.create("http://127.0.0.1:" + platform.httpPort("declaration") + "/api/v1/declarations"));
        for (String agency : AGENCIES) {
            targets.add(URI.create("http://127.0.0.1:" + platform.httpPort(agency) + "/api/v1/" + agency + "/declarations"));
        }
        for (var token : bad.entrySet()) {
            for (URI target : targets) {
                HttpResponse<String> response = call("GET", target, token.getValue(), null);
                assertThat(response.statusCode()).as(token.getKey() + " at " + target).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).as(token.getKey()).get().asString().startsWith("Bearer");
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            }
        }
        // the control: the same places accept a good token of the right role
        assertThat(call("GET", targets.get(1), tokens.fresh("enterprise-a"), null).statusCode()).isEqualTo(200);
        assertThat(call("GET", targets.get(2), tokens.fresh("customs-officer"), null).statusCode()).isEqualTo(200);
    }

    // --- tenants -----------------------------------------------------------------------------------

    @Test
    @Order(4)
    void anEnterpriseNeverSeesOrTouchesAnothersDeclarations() throws Exception {
        String a = tokens.fresh("enterprise-a");
        String b = tokens.fresh("enterprise-b");
        ObjectNode ofB = E2EPlatform.ofB(Samples.declaration());
        String declarationOfB = Json.mapper().readTree(submit(ofB, b).body()).get("id").asString();

        assertThat(call("GET", gateway("/api/v1/declarations/" + declarationOfA), b, null).statusCode()).isEqualTo(404);
        assertThat(call("POST", gateway("/api/v1/declarations/" + declarationOfA + "/cancellation"), b, null).statusCode()).isEqualTo(404);
        assertThat(call("POST", gateway("/api/v1/declarations/" + declarationOfA + "/withdrawal"), b, "{\"reason\": \"x\"}").statusCode())
                .isEqualTo(404);
        assertThat(call("GET", gateway("/api/v1/declarations/" + declarationOfB), a, null).statusCode()).isEqualTo(404);
        String listOfB = call("GET", gateway("/api/v1/declarations?size=200"), b, null).body();
        assertThat(listOfB).contains(declarationOfB).doesNotContain(declarationOfA).doesNotContain(E2EPlatform.ENTERPRISE_A);
        assertThat(call("GET", gateway("/api/v1/declarations/" + declarationOfA), a, null).statusCode()).isEqualTo(200);

        // a body naming another declarant is refused; nothing is filed in A's name by B
        HttpResponse<String> impostor = submit(Samples.declaration(), b);
        assertThat(impostor.statusCode()).isEqualTo(422);
        assertThat(impostor.body()).contains("/declarant/agentCode");
    }

    @Test
    @Order(5)
    void anOfficerReachesOnlyTheirOwnAgencysBackOffice() throws Exception {
        String customs = tokens.fresh("customs-officer");
        assertThat(call("GET", gateway("/api/v1/tax/declarations"), customs, null).statusCode()).isEqualTo(403);
        assertThat(call("GET", gateway("/api/v1/tax/declarations/" + declarationOfA), customs, null).statusCode()).isEqualTo(403);
        // and directly at the tax service, without the gateway
        assertThat(call("GET", URI.create("http://127.0.0.1:" + platform.httpPort("tax") + "/api/v1/tax/declarations"), customs, null)
                .statusCode()).isEqualTo(403);
        assertThat(call("GET", gateway("/api/v1/customs/declarations"), customs, null).statusCode()).isEqualTo(200);
    }

    // --- service to service ------------------------------------------------------------------------

    @Test
    @Order(6)
    void servicesCallEachOtherWithClientCredentialsAndTheInternalApiFailsClosedWithoutThem() throws Exception {
        // the customs back-office reads the window status from the declaration service over OpenFeign,
        // with the customs service's own client-credentials token
        HttpResponse<String> viaCustoms = call("GET", gateway("/api/v1/customs/declarations/" + declarationOfA + "/window-status"),
                tokens.fresh("customs-officer"), null);
        assertThat(viaCustoms.statusCode()).as(viaCustoms.body()).isEqualTo(200);
        JsonNode status = Json.mapper().readTree(viaCustoms.body());
        assertThat(status.get("id").asString()).isEqualTo(declarationOfA);
        assertThat(status.get("agencies")).hasSize(5);

        URI internal = URI.create("http://127.0.0.1:" + platform.httpPort("declaration")
                + "/internal/v1/declarations/" + declarationOfA + "/window-status");
        assertThat(call("GET", internal, null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", internal, tokens.fresh("enterprise-a"), null).statusCode()).isEqualTo(403);
        assertThat(call("GET", internal, tokens.fresh("customs-officer"), null).statusCode()).isEqualTo(403);
        assertThat(call("GET", internal, tokens.client("sw-probe", "sandbox-probe-secret"), null).statusCode()).isEqualTo(403);
        assertThat(call("GET", internal, tokens.client("sw-tax", "sandbox-tax-secret"), null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void anAgencyWithoutItsClientSecretGetsNoTokenAndItsCallFailsLoudly() throws Exception {
        platform.kill("forex");
        platform.startService("forex", Map.of("SW_SECURITY_CLIENT_SECRET", "wrong-secret"));
        try {
            platform.awaitReady(Duration.ofMinutes(3));
            HttpResponse<String> response = call("GET", gateway("/api/v1/forex/declarations/" + declarationOfA + "/window-status"),
                    tokens.fresh("forex-officer"), null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).contains("could not obtain its client-credentials token")
                    .doesNotContain("/protocol/openid-connect");
        } finally {
            platform.kill("forex");
            platform.startService("forex");
            platform.awaitReady(Duration.ofMinutes(3));
        }
        assertThat(call("GET", gateway("/api/v1/forex/declarations/" + declarationOfA + "/window-status"),
                tokens.fresh("forex-officer"), null).statusCode()).isEqualTo(200);
    }

    /**
     * Every service publishes as its own broker user and the broker vouches for the user-id: customs'
     * credentials cannot pass a receipt off as tax's. The window refuses a receipt whose agency is not its
     * publisher's (dead-lettered with the reason), and RabbitMQ's topic permissions refuse customs even the
     * routing key of another agency's receipt.
     */
    @Test
    @Order(9)
    void aReceiptIsTakenOnlyFromTheAgencyItIsOf() throws Exception {
        String operations = tokens.fresh("operations-admin");
        java.util.UUID receiptId = java.util.UUID.randomUUID();
        String forged = """
                {"receiptId": "%s", "declarationId": "%s", "agency": "TAX", "kind": "DECISION", "status": "REJECTED",
                 "code": "TAX_FORGED", "message": "forged by customs", "decidedAt": "%s"}"""
                .formatted(receiptId, declarationOfA, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost(platform.amqpHost());
        factory.setPort(platform.amqpPort());
        factory.setVirtualHost(E2EPlatform.amqpVhost());
        factory.setUsername("sw-customs");
        factory.setPassword(org.singlewindow.infra.embedded.EmbeddedBroker.sandboxPassword("sw-customs"));
        try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
            channel.confirmSelect();
            var props = new com.rabbitmq.client.AMQP.BasicProperties.Builder().messageId(receiptId.toString())
                    .userId("sw-customs").contentType("application/json").deliveryMode(2)
                    .headers(Map.of("sw-declaration-id", declarationOfA)).build();
            // customs' own routing key, tax's receipt in the body
            channel.basicPublish("sw.receipts", "receipt.customs.decided.v1", props, forged.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> dead = call("GET", gateway("/api/v1/admin/declaration/dead-letters"), operations, null);
            assertThat(dead.statusCode()).isEqualTo(200);
            assertThat(dead.body()).contains(receiptId.toString()).contains("accepted only from 'sw-tax'");
        });
        HttpResponse<String> view = call("GET", gateway("/api/v1/declarations/" + declarationOfA), tokens.fresh("enterprise-a"), null);
        assertThat(view.body()).doesNotContain("TAX_FORGED");

        if (E2EPlatform.real()) {
            // RabbitMQ: customs may not even publish on tax's routing key (topic permission)
            var connection = factory.newConnection();
            try {
                var channel = connection.createChannel();
                channel.confirmSelect();
                var props = new com.rabbitmq.client.AMQP.BasicProperties.Builder().messageId(java.util.UUID.randomUUID().toString())
                        .userId("sw-customs").build();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                    channel.basicPublish("sw.receipts", "receipt.tax.decided.v1", props, forged.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    channel.waitForConfirmsOrDie(10_000);
                }).hasStackTraceContaining("ACCESS_REFUSED");
            } finally {
                connection.abort();
            }
        }
    }

    /** Each service's database role owns its schema and reaches no other. */
    @Test
    @Order(10)
    void aServicesDatabaseRoleReachesOnlyItsOwnSchema() throws Exception {
        String role = Platform.databaseRole("customs");
        try (var connection = java.sql.DriverManager.getConnection(platform.jdbcUrl(), role, "sandbox-" + role + "-db");
             var sql = connection.createStatement()) {
            try (var rs = sql.executeQuery("select count(*) from customs.received_declaration")) {
                assertThat(rs.next()).isTrue();
            }
            for (String other : List.of("select count(*) from declaration.declaration", "select count(*) from tax.consumer_year",
                    "create schema intruder", "create table public.intruder (id int)")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> sql.execute(other)).as(other)
                        .isInstanceOf(java.sql.SQLException.class).hasMessageContaining("permission denied");
            }
        }
    }

    // --- quotas (last: it spends enterprise-b's quota) ---------------------------------------------

    @Test
    @Order(8)
    void theSandboxListensOnLoopbackOnly() throws Exception {
        // a non-loopback address of this machine, if it has one: no service answers there
        Optional<InetAddress> external = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeTrue(external.isPresent(), "this machine has no non-loopback address");
        for (String service : List.of("gateway", "declaration", "customs", "tax", "logistics")) {
            int port = platform.httpPort(service);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(external.get(), port), 1000);
                fail(service + " answers on " + external.get() + ":" + port);
            } catch (IOException expected) {
                // refused: it listens on 127.0.0.1 only
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }
    }

    @Test
    @Order(11)
    void aBodyWithinTheSizeLimitButFarOutsideTheStandardCostsOneViolation() throws Exception {
        // about 1 MB of JSON with 200,000 lines of goods: refused for the array's length, nothing inside checked
        ObjectNode declaration = Samples.declaration();
        var items = declaration.putArray("items");
        for (int i = 0; i < 200_000; i++) {
            items.addObject();
        }
        HttpResponse<String> answer = submit(declaration, tokens.fresh("enterprise-a"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        JsonNode problem = Json.mapper().readTree(answer.body());
        assertThat(problem.path("errors")).hasSize(1);
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("/items");
        assertThat(problem.path("errors").get(0).path("rule").asString()).isEqualTo("maxItems");
    }

    @Test
    @Order(12)
    void anotherSendersCebDocumentsCannotBeReplacedUsedOrSeen() throws Exception {
        String a = tokens.fresh("enterprise-a");
        String b = tokens.fresh("enterprise-b");
        ObjectNode declaration = Samples.declaration();
        Map<String, byte[]> messages = CebSamples.messages(declaration);
        assertThat(status(ceb(messages.get("CEB311"), a), 202)).isEqualTo("AWAITING");

        // B's payment for A's pending order is answered as for an order no one sent, and matched with nothing of A's
        ObjectNode forAsOrder = E2EPlatform.ofB(declaration.deepCopy());
        ObjectNode unknown = E2EPlatform.ofB(Samples.declaration());
        String pending = Json.mapper().readTree(ceb(CebSamples.payment(forAsOrder), b).body()).get("awaiting").toString();
        String nothing = Json.mapper().readTree(ceb(CebSamples.payment(unknown), b).body()).get("awaiting").toString();
        assertThat(pending).isEqualTo(nothing.replace(unknown.get("order").get("orderNo").asString(),
                forAsOrder.get("order").get("orderNo").asString()));
        // B's order for A's seller and B's list for A's order are refused on arrival
        String consignee = new String(messages.get("CEB311"), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst("<ceb:consignee>[^<]*</ceb:consignee>", "<ceb:consignee>Li Si</ceb:consignee>");
        assertThat(ceb(consignee.getBytes(java.nio.charset.StandardCharsets.UTF_8), b).statusCode()).isEqualTo(422);
        String list = new String(messages.get("CEB621"), java.nio.charset.StandardCharsets.UTF_8)
                .replace(E2EPlatform.ENTERPRISE_A, E2EPlatform.ENTERPRISE_B);
        assertThat(ceb(list.getBytes(java.nio.charset.StandardCharsets.UTF_8), b).statusCode()).isEqualTo(422);

        // A's order files from A's own documents
        status(ceb(messages.get("CEB411"), a), 202);
        status(ceb(messages.get("CEB511"), a), 202);
        HttpResponse<String> filed = ceb(messages.get("CEB621"), a);
        assertThat(status(filed, 202)).isEqualTo("FILED");
        String id = Json.mapper().readTree(filed.body()).get("declarationId").asString();
        JsonNode view = Json.mapper().readTree(call("GET", gateway("/api/v1/declarations/" + id), a, null).body());
        assertThat(view.get("declaration").get("order").get("consignee").get("name").asString())
                .isEqualTo(declaration.get("order").get("consignee").get("name").asString());
        // and B, sending for it again, learns neither that it was filed nor its id
        HttpResponse<String> late = ceb(CebSamples.payment(forAsOrder), b);
        assertThat(status(late, 202)).isEqualTo("AWAITING");
        assertThat(late.body()).doesNotContain(id);
    }

    private HttpResponse<String> ceb(byte[] xml, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway("/api/v1/ceb/messages")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(xml)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String status(HttpResponse<String> response, int expected) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return Json.mapper().readTree(response.body()).get("status").asString();
    }

    @Test
    @Order(100)
    void aBurstOverTheEnterprisesQuotaIs429UntilTheNextWindow() throws Exception {
        String b = tokens.fresh("enterprise-b");
        String a = tokens.fresh("enterprise-a");
        int burst = 3 * E2EPlatform.ENTERPRISE_B_QUOTA;
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            responses.add(call("GET", gateway("/api/v1/declarations?size=1"), b, null));
        }
        List<HttpResponse<String>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
        // a burst shorter than two windows gets at most two windows' quota through
        assertThat(limited).hasSizeGreaterThanOrEqualTo(burst - 2 * E2EPlatform.ENTERPRISE_B_QUOTA);
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 429));
        HttpResponse<String> last = limited.getLast();
        assertThat(last.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        long retryAfter = Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 10L);
        // another enterprise is not affected
        assertThat(call("GET", gateway("/api/v1/declarations?size=1"), a, null).statusCode()).isEqualTo(200);

        Thread.sleep(retryAfter * 1000 + 200);
        assertThat(call("GET", gateway("/api/v1/declarations?size=1"), b, null).statusCode()).isEqualTo(200);
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static String forged() throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .issuer(platform.issuer()).subject("mallory").audience("single-window")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("realm_access", Map.of("roles", List.of("enterprise", "admin")))
                .claim("enterprise_id", E2EPlatform.ENTERPRISE_A).build());
        jwt.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
        return jwt.serialize();
    }

    /**
     * A correctly signed token from another issuer: the embedded issuer signs one naming another
     * {@code iss}; with Keycloak, the master realm issues one (its bootstrap admin).
     */
    private static String wrongIssuer() {
        if (platform.embeddedIssuer() != null) {
            Instant now = Instant.now();
            return platform.embeddedIssuer().sign(new JWTClaimsSet.Builder()
                    .issuer("http://127.0.0.1:1/realms/elsewhere").subject("s").audience("single-window")
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                    .claim("realm_access", Map.of("roles", List.of("enterprise")))
                    .claim("enterprise_id", E2EPlatform.ENTERPRISE_A).build());
        }
        String master = platform.issuer().replace("/realms/single-window", "/realms/master");
        return new Tokens(master).password("admin-cli", System.getProperty("sw.e2e.keycloak.admin", "admin"),
                System.getProperty("sw.e2e.keycloak.password", "admin"));
    }

    private static String body(Endpoint endpoint) {
        return endpoint.method().equals("POST") && endpoint.path().equals("/api/v1/declarations")
                ? Json.mapper().writeValueAsString(Samples.declaration()) : null;
    }

    private static URI gateway(String path) {
        return URI.create(platform.gateway() + path);
    }

    private HttpResponse<String> submit(JsonNode declaration, String token) throws Exception {
        return call("POST", gateway("/api/v1/declarations"), token, Json.mapper().writeValueAsString(declaration));
    }

    private HttpResponse<String> call(String method, URI uri, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

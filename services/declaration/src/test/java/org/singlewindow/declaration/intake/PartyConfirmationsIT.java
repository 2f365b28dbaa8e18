package org.singlewindow.declaration.intake;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.CebSamples;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
import org.singlewindow.contract.Topology;
import org.singlewindow.contract.reference.PartyRegister;
import org.singlewindow.declaration.DeclarationApplication;
import org.singlewindow.infra.embedded.TestInfrastructure;
import org.singlewindow.infra.embedded.Tokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sw.ceb.strict}, the JSON single submission: in a bonded import each party transmits its own data (GACC 2018
 * No.194 item 8), so a declaring agent's one submission waits for the payment firm's and the logistics firm's own
 * confirmation — as JSON or as their own CEB411/CEB511, before or after it — and no agency sees it until then.
 * Here enterprise-b (4101960099) is registered as a payment and a logistics firm that authorised enterprise-a.
 */
@SpringBootTest(classes = DeclarationApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "sw.ceb.strict=true"})
class PartyConfirmationsIT {

    private static final TestInfrastructure infra = TestInfrastructure.start();

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

    private final HttpClient http = HttpClient.newHttpClient();
    private static final Tokens tokens = new Tokens(TestInfrastructure.issuer().issuer());
    private static final String AGENT = tokens.user("enterprise-a");
    private static final String FIRM = tokens.user("enterprise-b");
    private static final String B = "4101960099";
    /** What the agencies' queue (customs') has carried, by declaration: the routing keys. */
    private final Map<String, List<String>> carried = new HashMap<>();

    @Test
    void anAgentsJsonSubmissionWaitsForTheFirmsOwnConfirmationAsJsonOrCebBeforeOrAfterIt() throws Exception {
        withFirmsRegistered(() -> {
            // filed by the agent: kept, awaiting both firms; no agency sees it
            ObjectNode declaration = ofFirmB();
            JsonNode filed = json(call("POST", "/api/v1/declarations", declaration.toString(), AGENT), 202);
            assertThat(filed.get("status").asString()).isEqualTo("AWAITING_PARTIES");
            String id = filed.get("id").asString();
            JsonNode view = json(call("GET", "/api/v1/declarations/" + id, null, AGENT), 200);
            assertThat(view.get("status").asString()).isEqualTo("AWAITING_PARTIES");
            assertThat(events(view)).contains("AWAITING_PARTIES").doesNotContain("SUBMITTED");

            // the payment firm's confirmation of another amount: told, the agent told too, still waiting
            JsonNode wrong = json(call("POST", "/api/v1/declarations/confirmations/payment", payment(declaration, "300.00"), FIRM), 202);
            assertThat(wrong.get("status").asString()).isEqualTo("DOES_NOT_MATCH");
            assertThat(wrong.get("differs").valueStream().map(JsonNode::asString).toList()).containsExactly("/payment/amountPaid");
            assertThat(events(json(call("GET", "/api/v1/declarations/" + id, null, AGENT), 200))).contains("CONFIRMATION_DIFFERS");
            // corrected: the payment is confirmed, the waybill still awaited
            JsonNode right = json(call("POST", "/api/v1/declarations/confirmations/payment",
                    payment(declaration, declaration.get("payment").get("amountPaid").decimalValue().toPlainString()), FIRM), 202);
            assertThat(right.get("status").asString()).isEqualTo("CONFIRMED");
            assertThat(right.get("released").asBoolean()).isFalse();
            assertThat(json(call("GET", "/api/v1/declarations/" + id, null, AGENT), 200).get("status").asString())
                    .isEqualTo("AWAITING_PARTIES");
            assertThat(publishedFor(id)).isEmpty();

            // the logistics firm's own CEB511 is its confirmation: now it goes to the agencies, once
            HttpResponse<String> waybill = call("POST", "/api/v1/ceb/messages",
                    new String(CebSamples.messages(declaration).get("CEB511"), StandardCharsets.UTF_8), FIRM, "application/xml");
            assertThat(waybill.statusCode()).as(waybill.body()).isEqualTo(202);
            JsonNode released = json(call("GET", "/api/v1/declarations/" + id, null, AGENT), 200);
            assertThat(released.get("status").asString()).isIn("RECEIVED", "IN_REVIEW");
            assertThat(events(released)).contains("PARTY_CONFIRMED", "SUBMITTED");
            assertThat(awaitPublished(id)).containsExactly(Topology.DECLARATION_SUBMITTED);

            // the firms first, the declaration after: it goes to the agencies at once
            ObjectNode second = ofFirmB();
            assertThat(json(call("POST", "/api/v1/declarations/confirmations/payment",
                    payment(second, second.get("payment").get("amountPaid").decimalValue().toPlainString()), FIRM), 202)
                    .get("status").asString()).isEqualTo("KEPT");
            assertThat(json(call("POST", "/api/v1/declarations/confirmations/waybill", """
                    {"orderNo": "%s", "logisticsCode": "%s", "logisticsNo": "%s", "freight": 0}""".formatted(
                    second.get("order").get("orderNo").asString(), B, second.get("logistics").get("logisticsNo").asString()), FIRM), 202)
                    .get("status").asString()).isEqualTo("KEPT");
            JsonNode direct = json(call("POST", "/api/v1/declarations", second.toString(), AGENT), 202);
            assertThat(direct.get("status").asString()).isEqualTo("RECEIVED");
            assertThat(awaitPublished(direct.get("id").asString())).containsExactly(Topology.DECLARATION_SUBMITTED);

            // cancelled while it waits: final, and still nothing to any agency
            ObjectNode third = ofFirmB();
            String waiting = json(call("POST", "/api/v1/declarations", third.toString(), AGENT), 202).get("id").asString();
            assertThat(json(call("POST", "/api/v1/declarations/" + waiting + "/cancellation", "{\"reason\": \"order withdrawn\"}", AGENT), 202)
                    .get("status").asString()).isEqualTo("CANCELLED");
            assertThat(publishedFor(waiting)).isEmpty();

            // a firm that files for itself confirms nothing to itself
            ObjectNode own = ofFirmB();
            ((ObjectNode) own.get("declarant")).put("agentCode", B).put("assureCode", B);
            ((ObjectNode) own.get("order")).put("ebcCode", B);
            ((ObjectNode) own.get("logistics")).put("warehouseCode", "LYBW01");
            assertThat(json(call("POST", "/api/v1/declarations", own.toString(), FIRM), 202).get("status").asString()).isEqualTo("RECEIVED");
        });
    }

    @Test
    void onlyTheFirmItselfConfirmsAndABadConfirmationIsRefusedNamingEachField() throws Exception {
        withFirmsRegistered(() -> {
            ObjectNode declaration = ofFirmB();
            // the agent cannot confirm for the firm, even one that authorised it
            JsonNode notOwn = json(call("POST", "/api/v1/declarations/confirmations/payment",
                    payment(declaration, "327.30"), AGENT), 422);
            assertThat(notOwn.get("errors").get(0).get("field").asString()).isEqualTo("/payCode");
            assertThat(notOwn.get("errors").get(0).get("rule").asString()).isEqualTo("tenant");
            JsonNode bad = json(call("POST", "/api/v1/declarations/confirmations/payment",
                    "{\"ebpCode\": \"x\", \"payCode\": \"" + B + "\", \"amountPaid\": -1, \"currency\": \"yuan\"}", FIRM), 400);
            assertThat(bad.get("errors").valueStream().map(e -> e.get("field").asString() + " " + e.get("rule").asString()).toList())
                    .contains("/ebpCode pattern", "/orderNo required", "/payTransactionId required", "/amountPaid amount",
                            "/currency maxLength");
            assertThat(call("POST", "/api/v1/declarations/confirmations/waybill", "[1]", FIRM).statusCode()).isEqualTo(400);
        });
    }

    /** A declaration whose payment firm and logistics firm are enterprise-b, filed by enterprise-a. */
    private static ObjectNode ofFirmB() {
        ObjectNode declaration = Samples.declaration();
        ((ObjectNode) declaration.get("payment")).put("payCode", B);
        ((ObjectNode) declaration.get("logistics")).put("logisticsCode", B);
        return declaration;
    }

    private static String payment(JsonNode declaration, String amount) {
        return """
                {"ebpCode": "%s", "orderNo": "%s", "payCode": "%s", "payTransactionId": "%s", "amountPaid": %s, "currency": "%s"}"""
                .formatted(declaration.get("order").get("ebpCode").asString(), declaration.get("order").get("orderNo").asString(), B,
                        declaration.get("payment").get("payTransactionId").asString(), amount,
                        declaration.get("payment").get("currency").asString());
    }

    private void withFirmsRegistered(ThrowingRunnable body) throws Exception {
        String admin = tokens.user("admin");
        String sandbox = new String(PartyRegister.sandboxDocument(), StandardCharsets.UTF_8);
        String firms = sandbox.replace("\"version\": \"sandbox-1\"", "\"version\": \"sandbox-1-firm-b\"")
                .replace("\"roles\": [\"DECLARING_AGENT\", \"E_COMMERCE_ENTERPRISE\", \"WAREHOUSE_OPERATOR\"], \"warehouses\": [\"LYBW01\"],",
                        "\"roles\": [\"DECLARING_AGENT\", \"E_COMMERCE_ENTERPRISE\", \"WAREHOUSE_OPERATOR\", \"PAYMENT_FIRM\", \"LOGISTICS_FIRM\"], "
                                + "\"warehouses\": [\"LYBW01\"], \"authorisedAgents\": [\"4101960005\"],");
        assertThat(firms).contains("\"PAYMENT_FIRM\", \"LOGISTICS_FIRM\"]");
        try {
            assertThat(call("PUT", "/api/v1/admin/declaration/reference/party-register", firms, admin).statusCode()).isEqualTo(200);
            body.run();
        } finally {
            assertThat(call("PUT", "/api/v1/admin/declaration/reference/party-register", sandbox, admin).statusCode()).isEqualTo(200);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static List<String> events(JsonNode view) {
        return view.get("timeline").valueStream().map(e -> e.get("kind").asString()).toList();
    }

    /** The routing keys customs' queue carried for a declaration so far. */
    private List<String> publishedFor(String id) throws Exception {
        try (Connection connection = infra.connectAs("sw-customs"); Channel channel = connection.createChannel()) {
            GetResponse message;
            while ((message = channel.basicGet(Topology.agencyQueue(Agency.CUSTOMS), true)) != null) {
                JsonNode body = Json.mapper().readTree(message.getBody());
                carried.computeIfAbsent(body.path("declarationId").asString(), k -> new ArrayList<>())
                        .add(message.getEnvelope().getRoutingKey());
            }
        }
        return carried.getOrDefault(id, List.of());
    }

    /** As {@link #publishedFor}, once the outbox relay has published something for it (or ten seconds passed). */
    private List<String> awaitPublished(String id) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(10));
        while (publishedFor(id).isEmpty() && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        return publishedFor(id);
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.mapper().readTree(response.body());
    }

    private HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        return call(method, path, body, token, "application/json");
    }

    private HttpResponse<String> call(String method, String path, String body, String token, String type) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", type);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

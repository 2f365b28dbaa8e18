package org.singlewindow.declaration.ceb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.CebSamples;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sw.ceb.strict}: in a bonded import each party transmits its own data (GACC 2018 No.194 item 8) — a payment
 * or waybill an agent sent for the firm is not filed, and its sender is told why; the firms' own are. In a direct
 * import (9610) a postal or express operator the firm entrusted may send them.
 */
@SpringBootTest(classes = DeclarationApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "sw.ceb.strict=true"})
class CebStrictIT {

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
    private static final String ENTERPRISE_B = tokens.user("enterprise-b");

    @Test
    void inABondedImportThePaymentFirmAndTheLogisticsFirmSendTheirOwn() throws Exception {
        // enterprise-a sends all four as the firms' authorised agent: the order waits for their own
        ObjectNode declaration = Samples.declaration();
        Map<String, byte[]> messages = CebSamples.messages(declaration);
        for (String kind : List.of("CEB311", "CEB411", "CEB511")) {
            json(send(messages.get(kind), AGENT), 202);
        }
        JsonNode list = json(send(messages.get("CEB621"), AGENT), 202);
        assertThat(list.get("status").asString()).isEqualTo("AWAITING");
        assertThat(list.get("awaiting").valueStream().map(JsonNode::asString).toList())
                .anySatisfy(a -> assertThat(a).startsWith("a corrected CEB411 payment"))
                .anySatisfy(a -> assertThat(a).startsWith("a corrected CEB511 waybill"));
        String paymentGuid = guid(messages.get("CEB411"));
        JsonNode payment = json(get("/api/v1/ceb/messages/CEB411/" + paymentGuid, AGENT), 200);
        assertThat(payment.get("findings").get("errors").get(0).get("rule").asString()).isEqualTo("own-document");
        assertThat(payment.get("findings").get("errors").get(0).get("message").asString()).contains("GACC 2018 No.194 item 8");
        // and as customs' receipt for the payment (CEB412): returned, saying why
        HttpResponse<String> receipt = http.send(HttpRequest.newBuilder(uri("/api/v1/ceb/messages/CEB411/" + paymentGuid))
                .header("Authorization", "Bearer " + AGENT).header("Accept", "application/xml").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(receipt.statusCode()).as(receipt.body()).isEqualTo(200);
        assertThat(receipt.body()).contains("<ceb:CEB412Message").contains("<ceb:PaymentReturn>")
                .contains("<ceb:returnStatus>100</ceb:returnStatus>").contains("GACC 2018 No.194 item 8");

        // enterprise-b, registered here as its own payment and logistics firm too, sends its own: filed
        String admin = tokens.user("admin");
        String sandbox = new String(PartyRegister.sandboxDocument(), StandardCharsets.UTF_8);
        String ownFirms = sandbox.replace("\"version\": \"sandbox-1\"", "\"version\": \"sandbox-1-own-firms\"")
                .replace("\"roles\": [\"DECLARING_AGENT\", \"E_COMMERCE_ENTERPRISE\", \"WAREHOUSE_OPERATOR\"]",
                        "\"roles\": [\"DECLARING_AGENT\", \"E_COMMERCE_ENTERPRISE\", \"WAREHOUSE_OPERATOR\", \"PAYMENT_FIRM\", \"LOGISTICS_FIRM\"]");
        assertThat(ownFirms).contains("\"PAYMENT_FIRM\", \"LOGISTICS_FIRM\"]");
        try {
            assertThat(put("/api/v1/admin/declaration/reference/party-register", ownFirms, admin).statusCode()).isEqualTo(200);
            ObjectNode ofB = Samples.declaration();
            ((ObjectNode) ofB.get("declarant")).put("agentCode", "4101960099").put("assureCode", "4101960099");
            ((ObjectNode) ofB.get("order")).put("ebcCode", "4101960099");
            ((ObjectNode) ofB.get("payment")).put("payCode", "4101960099");
            ((ObjectNode) ofB.get("logistics")).put("logisticsCode", "4101960099").put("warehouseCode", "LYBW01");
            JsonNode last = null;
            for (byte[] message : CebSamples.messages(ofB).values()) {
                last = json(send(message, ENTERPRISE_B), 202);
            }
            assertThat(last.get("status").asString()).as(last.toString()).isEqualTo("FILED");
        } finally {
            assertThat(put("/api/v1/admin/declaration/reference/party-register", sandbox, admin).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void inADirectImportAPostalOrExpressOperatorTheFirmsEntrustedMaySendTheirDocuments() throws Exception {
        ObjectNode direct = Samples.directImport();
        // enterprise-a, authorised by the payment firm and the logistics firm but no express operator itself: not filed
        Map<String, byte[]> messages = CebSamples.messages(direct);
        for (String kind : List.of("CEB311", "CEB411", "CEB511")) {
            json(send(messages.get(kind), AGENT), 202);
        }
        JsonNode list = json(send(messages.get("CEB621"), AGENT), 202);
        assertThat(list.get("status").asString()).isEqualTo("AWAITING");
        JsonNode payment = json(get("/api/v1/ceb/messages/CEB411/" + guid(messages.get("CEB411")), AGENT), 200);
        assertThat(payment.get("findings").get("errors").get(0).get("message").asString())
                .contains("or a postal or express operator it entrusted does");

        // registered as an express operator too, the firms' authorisation is its recorded entrustment: filed
        String admin = tokens.user("admin");
        String sandbox = new String(PartyRegister.sandboxDocument(), StandardCharsets.UTF_8);
        String express = sandbox.replace("\"version\": \"sandbox-1\"", "\"version\": \"sandbox-1-express\"")
                .replace("\"roles\": [\"DECLARING_AGENT\", \"WAREHOUSE_OPERATOR\"]",
                        "\"roles\": [\"DECLARING_AGENT\", \"WAREHOUSE_OPERATOR\", \"LOGISTICS_FIRM\"]");
        assertThat(express).contains("\"WAREHOUSE_OPERATOR\", \"LOGISTICS_FIRM\"]");
        try {
            assertThat(put("/api/v1/admin/declaration/reference/party-register", express, admin).statusCode()).isEqualTo(200);
            ObjectNode again = Samples.directImport();
            JsonNode last = null;
            for (byte[] message : CebSamples.messages(again).values()) {
                last = json(send(message, AGENT), 202);
            }
            assertThat(last.get("status").asString()).as(last.toString()).isEqualTo("FILED");
        } finally {
            assertThat(put("/api/v1/admin/declaration/reference/party-register", sandbox, admin).statusCode()).isEqualTo(200);
        }
    }

    private static String guid(byte[] message) {
        return new String(message, StandardCharsets.UTF_8).replaceAll("(?s).*?<ceb:guid>([^<]+)</ceb:guid>.*", "$1");
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.mapper().readTree(response.body());
    }

    private HttpResponse<String> send(byte[] xml, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/ceb/messages")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofByteArray(xml)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, String body, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}

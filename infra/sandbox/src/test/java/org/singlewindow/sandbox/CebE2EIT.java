package org.singlewindow.sandbox;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.CebSamples;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.reference.PartyRegister;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CEB XML interface end to end through the gateway: an enterprise's system sends the customs' own
 * messages, signed with the certificate its registration names; the order is filed, decided by the five
 * agencies and answered by CEB622 receipts, pulled and pushed; what is unsafe, malformed or badly signed
 * is refused naming why; and an order filed as JSON and as XML is one declaration.
 */
class CebE2EIT {

    private static final String CEB = "http://www.chinaport.gov.cn/ceb";
    private static Platform platform;
    private static E2EClient client;
    private static HttpServer receiver;
    private static final List<String> pushed = new CopyOnWriteArrayList<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        E2EPlatform.onlyInTheEmbeddedPass();
        platform = E2EPlatform.get();
        client = new E2EClient(platform);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/ceb", exchange -> {
            pushed.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aSignedOrderInCebXmlIsFiledDecidedAndAnsweredByCeb622ReceiptsPulledAndPushed() throws Exception {
        CebSamples.Signer agent = CebSamples.Signer.generate("Zhengzhou Airport Supply Chain Co");
        String sandbox = new String(PartyRegister.sandboxDocument(), StandardCharsets.UTF_8);
        String signing = sandbox.replace("\"version\": \"sandbox-1\"", "\"version\": \"sandbox-1-ceb-e2e\"")
                .replace("\"warehouses\": [\"ZZBW01\"]", "\"warehouses\": [\"ZZBW01\"], \"requireSigned\": true, \"certificates\": [\""
                        + agent.registered() + "\"]");
        String subscription = null;
        try {
            HttpResponse<String> loaded = client.call("PUT", "/api/v1/admin/declaration/reference/party-register", "admin", signing);
            assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
            HttpResponse<String> subscribed = client.call("POST", "/api/v1/subscriptions", "enterprise-a",
                    "{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/ceb\", \"events\": [\"status\", \"document\"], "
                            + "\"format\": \"CEB_XML\"}");
            assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
            subscription = E2EClient.json(subscribed).get("id").asString();

            ObjectNode declaration = E2EClient.declarationOfANewBuyer();
            Map<String, byte[]> messages = CebSamples.messages(declaration);
            // unsigned, the agent is refused: its registration requires signing
            HttpResponse<String> unsigned = send(messages.get("CEB621"));
            assertThat(unsigned.statusCode()).as(unsigned.body()).isEqualTo(422);
            assertThat(unsigned.body()).contains("/ceb:CEB621Message/ds:Signature").contains("no ds:Signature");
            // signed, then changed on the way
            String tampered = new String(agent.sign(messages.get("CEB311"), true), StandardCharsets.UTF_8)
                    .replaceFirst("<ceb:acturalPaid>[^<]*</ceb:acturalPaid>", "<ceb:acturalPaid>1.00</ceb:acturalPaid>");
            HttpResponse<String> changed = send(tampered.getBytes(StandardCharsets.UTF_8));
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(422);
            assertThat(problem(changed)).contains("/ceb:CEB311Message/ds:Signature signature");

            JsonNode answer = null;
            for (byte[] message : messages.values()) {
                HttpResponse<String> sent = send(agent.sign(message, true));
                assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
                answer = E2EClient.json(sent);
            }
            assertThat(answer.get("status").asString()).isEqualTo("FILED");
            String id = answer.get("declarationId").asString();

            // cleared, and settled by all five: every receipt is in
            JsonNode[] settled = new JsonNode[1];
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                settled[0] = E2EClient.json(client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null));
                return settled[0].path("followUps").path("completedAt").isString();
            });
            JsonNode view = settled[0];
            assertThat(view.get("status").asString()).isEqualTo("CLEARED");
            assertThat(view.get("messages")).hasSize(4);
            assertThat(view.get("messages").valueStream().map(m -> m.get("signerCertificateSha256").asString()).distinct().toList())
                    .hasSize(1).first().asString().hasSize(95);
            String preNo = view.get("preNo").asString();

            // pulled: the list's statuses in customs' codes, about the list as its CEB621 gave it (guid exactly)
            HttpResponse<String> pulled = client.call("GET", "/api/v1/declarations/" + id + "/receipts", "enterprise-a", null,
                    "Accept", "application/xml");
            assertThat(pulled.statusCode()).isEqualTo(200);
            var xml = parse(pulled.body());
            assertThat(xml.getDocumentElement().getLocalName()).isEqualTo("CEB622Message");
            assertThat(xml.getElementsByTagNameNS(CEB, "InventoryReturn").getLength()).isEqualTo(4); // 2, 120, 399, 800
            assertThat(texts(xml, "guid")).containsOnly(declaration.get("guid").asString().toUpperCase(java.util.Locale.ROOT));
            assertThat(texts(xml, "preNo")).containsOnly(preNo);
            // pushed: one CEB622 per change of the list's status (120, then 399 and 800)
            await().atMost(Duration.ofSeconds(60)).until(() -> pushed.stream()
                    .filter(b -> b.contains("<ceb:preNo>" + preNo + "</ceb:preNo>")).count() == 2);
            // and each of its other documents' own receipt, once filed: CEB312, CEB412, CEB512, 120
            String transaction = declaration.get("payment").get("payTransactionId").asString();
            String waybill = declaration.get("logistics").get("logisticsNo").asString();
            await().atMost(Duration.ofSeconds(60)).until(() -> pushed.stream().anyMatch(b -> b.contains("<ceb:CEB412Message")
                    && b.contains("<ceb:payTransactionId>" + transaction + "</ceb:payTransactionId>")
                    && b.contains("<ceb:returnStatus>120</ceb:returnStatus>")));
            assertThat(pushed).anySatisfy(b -> assertThat(b).contains("<ceb:CEB512Message",
                    "<ceb:logisticsNo>" + waybill + "</ceb:logisticsNo>", "<ceb:returnStatus>120</ceb:returnStatus>"));
            assertThat(pushed).anySatisfy(b -> assertThat(b).contains("<ceb:CEB312Message",
                    "<ceb:orderNo>" + declaration.get("order").get("orderNo").asString() + "</ceb:orderNo>"));
        } finally {
            if (subscription != null) {
                client.call("DELETE", "/api/v1/subscriptions/" + subscription, "enterprise-a", null);
            }
            assertThat(client.call("PUT", "/api/v1/admin/declaration/reference/party-register", "admin", sandbox).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void unsafeAndMalformedMessagesAreRefusedNamingWhy() throws Exception {
        String list = new String(CebSamples.inventory(E2EClient.declarationOfANewBuyer()), StandardCharsets.UTF_8);
        String body = list.substring(list.indexOf("<ceb:CEB621Message"));

        HttpResponse<String> dtd = send(("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>"
                + body).getBytes(StandardCharsets.UTF_8));
        assertThat(dtd.statusCode()).isEqualTo(400);
        assertThat(problem(dtd)).contains(" dtd");
        HttpResponse<String> external = send(("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>"
                + body.replace("<ceb:note></ceb:note>", "<ceb:note>&e;</ceb:note>")).getBytes(StandardCharsets.UTF_8));
        assertThat(external.statusCode()).isEqualTo(400);
        assertThat(problem(external)).contains(" dtd");
        HttpResponse<String> malformed = send(body.replace("</ceb:InventoryHead>", "").getBytes(StandardCharsets.UTF_8));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(problem(malformed)).contains(" xml");
        assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        // only an enterprise sends messages
        assertThat(http.send(request(list.getBytes(StandardCharsets.UTF_8), "customs-officer"),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    @Test
    void anOrderFiledAsJsonAndAsCebXmlIsOneDeclaration() throws Exception {
        ObjectNode declaration = E2EClient.declarationOfANewBuyer();
        String id = client.submit(declaration);
        JsonNode last = null;
        for (byte[] message : CebSamples.messages(declaration).values()) {
            HttpResponse<String> sent = send(message);
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            last = E2EClient.json(sent);
        }
        assertThat(last.get("declarationId").asString()).isEqualTo(id);
        assertThat(last.get("replayed").asBoolean()).isTrue();
        assertThat(client.awaitFinal(id).get("messages")).hasSize(4);
    }

    @Test
    void theSandboxSignsNoReceiptsAndSaysSo() throws Exception {
        // receipts are signed where sw.ceb.signing.* is configured (unit-tested); the sandbox has no platform key
        HttpResponse<String> certificate = client.call("GET", "/api/v1/ceb/platform-certificate", "enterprise-a", null);
        assertThat(certificate.statusCode()).isEqualTo(404);
        assertThat(certificate.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        // the code lists the messages are read with are published
        JsonNode lists = E2EClient.json(client.call("GET", "/api/v1/ceb/code-lists", "enterprise-a", null));
        assertThat(lists.get("kind").asString()).isEqualTo("ceb-code-lists");
        assertThat(lists.get("currencies").valueStream().filter(c -> c.get("customs").asString().equals("142"))
                .map(c -> c.get("iso").asString()).toList()).containsExactly("CNY");
    }

    private static final java.time.format.DateTimeFormatter CEB_TIME = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(java.time.ZoneId.of("Asia/Shanghai"));

    /** A site operator's arrival record (CEB711) of one parcel, written from the standard's elements. */
    private static String arrivalRecord(String operator, String site, String logisticsCode, String logisticsNo) {
        String now = CEB_TIME.format(java.time.Instant.now().minusSeconds(300));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <ceb:CEB711Message guid="%1$s" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
                  <ceb:Delivery>
                    <ceb:DeliveryHead>
                      <ceb:guid>%1$s</ceb:guid><ceb:appType>1</ceb:appType><ceb:appTime>%2$s</ceb:appTime><ceb:appStatus>2</ceb:appStatus>
                      <ceb:customsCode>4606</ceb:customsCode><ceb:copNo>RK%3$s</ceb:copNo><ceb:preNo></ceb:preNo><ceb:rkdNo></ceb:rkdNo>
                      <ceb:operatorCode>%4$s</ceb:operatorCode><ceb:operatorName>Site operator</ceb:operatorName><ceb:ieFlag>I</ceb:ieFlag>
                      <ceb:trafMode>5</ceb:trafMode><ceb:trafNo>CA1234</ceb:trafNo><ceb:voyageNo>20261207</ceb:voyageNo>
                      <ceb:billNo>784-12345675</ceb:billNo><ceb:logisticsCode>%5$s</ceb:logisticsCode>
                      <ceb:logisticsName>Central Plains Express</ceb:logisticsName><ceb:unloadLocation>%6$s</ceb:unloadLocation><ceb:note></ceb:note>
                    </ceb:DeliveryHead>
                    <ceb:DeliveryList><ceb:gnum>1</ceb:gnum><ceb:logisticsNo>%7$s</ceb:logisticsNo><ceb:note></ceb:note></ceb:DeliveryList>
                  </ceb:Delivery>
                  <ceb:BaseTransfer><ceb:copCode>%4$s</ceb:copCode><ceb:copName>Site operator</ceb:copName><ceb:dxpMode>DXP</ceb:dxpMode>
                    <ceb:dxpId>DXPENT0000000001</ceb:dxpId><ceb:note></ceb:note></ceb:BaseTransfer>
                </ceb:CEB711Message>
                """.formatted("CEB711_ZZKJ01_" + java.util.UUID.randomUUID().toString().substring(0, 20).toUpperCase(java.util.Locale.ROOT),
                now, logisticsNo.substring(2, 12), operator, logisticsCode, site, logisticsNo);
    }

    /** A logistics firm's delivery of a waybill (CEB513, status S). */
    private static String delivery(String logisticsCode, String logisticsNo) {
        String now = CEB_TIME.format(java.time.Instant.now().minusSeconds(60));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <ceb:CEB513Message guid="%1$s" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
                  <ceb:LogisticsStatus>
                    <ceb:guid>%1$s</ceb:guid><ceb:appType>1</ceb:appType><ceb:appTime>%2$s</ceb:appTime><ceb:appStatus>2</ceb:appStatus>
                    <ceb:logisticsCode>%3$s</ceb:logisticsCode><ceb:logisticsName>Central Plains Express</ceb:logisticsName>
                    <ceb:logisticsNo>%4$s</ceb:logisticsNo><ceb:logisticsStatus>S</ceb:logisticsStatus>
                    <ceb:logisticsTime>%2$s</ceb:logisticsTime><ceb:note></ceb:note>
                  </ceb:LogisticsStatus>
                  <ceb:BaseTransfer><ceb:copCode>4101960005</ceb:copCode><ceb:copName>Agent</ceb:copName><ceb:dxpMode>DXP</ceb:dxpMode>
                    <ceb:dxpId>DXPENT0000000001</ceb:dxpId><ceb:note></ceb:note></ceb:BaseTransfer>
                </ceb:CEB513Message>
                """.formatted(java.util.UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT), now, logisticsCode, logisticsNo);
    }

    private static HttpResponse<String> sendAsCebClient(String xml, String user) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(platform.gateway() + "/api/v1/ceb/messages")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + E2EPlatform.tokens().fresh(user)).header("Accept", "application/xml")
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofString(xml)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSitesArrivalRecordAndAWaybillsDeliveryInCebXmlAreHandedOnToLogisticsAndAnsweredAsCustomsDoes() throws Exception {
        ObjectNode declaration = E2EClient.directImportOfANewBuyer();
        String id = client.submit(declaration);
        String carrier = declaration.get("logistics").get("logisticsCode").asString();
        String waybill = declaration.get("logistics").get("logisticsNo").asString();

        // a site enterprise-b does not run: refused as customs refuses, the element named (-400)
        HttpResponse<String> stranger = sendAsCebClient(arrivalRecord("4101960099", "ZZKJ01", carrier, waybill), "enterprise-b");
        assertThat(stranger.statusCode()).as(stranger.body()).isEqualTo(400);
        var refused = parse(stranger.body());
        assertThat(refused.getDocumentElement().getLocalName()).isEqualTo("CEB712Message");
        assertThat(texts(refused, "returnStatus")).containsExactly("-400");
        assertThat(texts(refused, "returnInfo").iterator().next()).contains("ceb:unloadLocation", "must be a supervised site you operate");
        // an operator that is not the sender: refused before logistics sees it
        HttpResponse<String> notOwn = sendAsCebClient(arrivalRecord("4101960005", "ZZKJ01", carrier, waybill), "enterprise-b");
        assertThat(notOwn.statusCode()).isEqualTo(422);
        assertThat(notOwn.body()).contains("ceb:operatorCode");

        // the site's operator records the arrival: CEB712 2, and the list is released
        HttpResponse<String> arrived = sendAsCebClient(arrivalRecord("4101960005", "ZZKJ01", carrier, waybill), "enterprise-a");
        assertThat(arrived.statusCode()).as(arrived.body()).isEqualTo(200);
        var receipt = parse(arrived.body());
        assertThat(receipt.getDocumentElement().getLocalName()).isEqualTo("CEB712Message");
        assertThat(texts(receipt, "returnStatus")).containsExactly("2");
        assertThat(texts(receipt, "operatorCode")).containsExactly("4101960005");
        assertThat(client.awaitStatus(id, "CLEARED").get("receipts").valueStream().filter(r -> r.get("agency").asString().equals("LOGISTICS")
                && r.get("kind").asString().equals("DECISION")).findFirst().orElseThrow().get("message").asString())
                .contains("arrived at site ZZKJ01");
        assertThat(E2EClient.json(client.call("GET", "/api/v1/logistics/arrivals?logisticsNo=" + waybill, "logistics-officer", null))
                .get(0).get("billNo").asString()).isEqualTo("784-12345675");

        // delivered: the carrier's CEB513 (sent by enterprise-a, which it authorised) after the parcel left the site
        HttpResponse<String> early = sendAsCebClient(delivery(carrier, waybill), "enterprise-a");
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(texts(parse(early.body()), "returnStatus")).containsExactly("-409");
        for (String status : List.of("PICKED", "LEFT_ZONE")) {
            HttpResponse<String> event = client.call("POST", "/api/v1/logistics/waybills/" + waybill + "/events", "enterprise-a",
                    "{\"status\": \"" + status + "\", \"at\": \"" + java.time.OffsetDateTime.now().minusMinutes(3) + "\"}");
            assertThat(event.statusCode()).as(event.body()).isEqualTo(200);
        }
        HttpResponse<String> delivered = sendAsCebClient(delivery(carrier, waybill), "enterprise-a");
        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
        var answer = parse(delivered.body());
        assertThat(answer.getDocumentElement().getLocalName()).isEqualTo("CEB514Message");
        assertThat(texts(answer, "returnStatus")).containsExactly("2");
        assertThat(E2EClient.json(client.call("GET", "/api/v1/logistics/waybills/" + waybill, "enterprise-a", null)).get("events")
                .valueStream().map(e -> e.get("status").asString())).containsExactly("PICKED", "LEFT_ZONE", "DELIVERED");
        // sent again, by a JSON caller: the same delivery, nothing changes, answered with what logistics keeps
        HttpResponse<String> again = send(delivery(carrier, waybill).getBytes(StandardCharsets.UTF_8));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode json = E2EClient.json(again);
        assertThat(json.get("kind").asString()).isEqualTo("CEB513");
        assertThat(json.get("recorded").get("events")).hasSize(3);
    }

    private static HttpRequest request(byte[] xml, String user) {
        return HttpRequest.newBuilder(URI.create(platform.gateway() + "/api/v1/ceb/messages")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + E2EPlatform.tokens().fresh(user))
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofByteArray(xml)).build();
    }

    private static HttpResponse<String> send(byte[] xml) throws Exception {
        return http.send(request(xml, "enterprise-a"), HttpResponse.BodyHandlers.ofString());
    }

    /** The problem's violations as "field rule". */
    private static List<String> problem(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body()).get("errors").valueStream()
                .map(e -> e.get("field").asString() + " " + e.get("rule").asString()).toList();
    }

    private static org.w3c.dom.Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Set<String> texts(org.w3c.dom.Document xml, String element) {
        var nodes = xml.getElementsByTagNameNS(CEB, element);
        Set<String> out = new HashSet<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }
}

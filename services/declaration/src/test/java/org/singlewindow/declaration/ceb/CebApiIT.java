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
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CEB XML interface against a real broker and database: the four messages of an order, in any order,
 * file one declaration exactly as its JSON would; the same order filed as JSON and as XML is one
 * declaration; signatures verify against the party register's certificates; and what is malformed,
 * unsafe or inconsistent is refused naming the element.
 */
@SpringBootTest(classes = DeclarationApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0"})
class CebApiIT {

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
    void theFourMessagesOfAnOrderFileOneDeclarationInWhateverOrderTheyCome() throws Exception {
        ObjectNode declaration = Samples.declaration();
        Map<String, byte[]> messages = CebSamples.messages(declaration);

        JsonNode waybill = json(send(messages.get("CEB511")), 202);
        assertThat(waybill.get("status").asString()).isEqualTo("AWAITING");
        assertThat(waybill.get("awaiting").valueStream().map(JsonNode::asString).toList()).hasSize(3)
                .anySatisfy(a -> assertThat(a).startsWith("CEB621"));
        JsonNode list = json(send(messages.get("CEB621")), 202);
        assertThat(list.get("awaiting").valueStream().map(JsonNode::asString).toList())
                .containsExactly("CEB311 order " + orderOf(declaration), "CEB411 payment of order " + orderOf(declaration));
        assertThat(json(send(messages.get("CEB411")), 202).get("status").asString()).isEqualTo("AWAITING");

        HttpResponse<String> last = send(messages.get("CEB311"));
        JsonNode filed = json(last, 202);
        assertThat(filed.get("status").asString()).isEqualTo("FILED");
        String id = filed.get("declarationId").asString();
        assertThat(last.headers().firstValue("Location")).hasValue("/api/v1/declarations/" + id);

        JsonNode view = json(get("/api/v1/declarations/" + id), 200);
        assertThat(view.get("status").asString()).isEqualTo("RECEIVED");
        assertThat(view.get("messages").valueStream().map(m -> m.get("kind").asString()).toList())
                .containsExactlyInAnyOrder("CEB311", "CEB411", "CEB511", "CEB621");
        assertThat(view.get("messages").get(0).get("sha256").asString()).hasSize(64);
        // the declaration as filed says what the JSON says: codes mapped back, times the same instant
        JsonNode body = view.get("declaration");
        assertThat(body.get("guid").asString()).isEqualTo(declaration.get("guid").asString());
        // the consignee's country is the contract's own: the CEB messages do not carry it
        ObjectNode expected = declaration.deepCopy();
        ((ObjectNode) expected.get("order").get("consignee")).remove("country");
        ((ObjectNode) expected.get("logistics").get("consignee")).remove("country");
        // a list always names its withholding agent; the JSON's default is the e-commerce enterprise
        ((ObjectNode) expected.get("declarant")).put("assureCode", expected.get("order").get("ebcCode").asString());
        assertThat(normalised(body.get("order"))).isEqualTo(normalised(expected.get("order")));
        assertThat(body.get("items").get(0).get("originCountry").asString()).isEqualTo("NLD");
        assertThat(body.get("items").get(0).get("hsCode").asString()).isEqualTo("1901101000");
        assertThat(normalised(body.get("logistics"))).isEqualTo(normalised(expected.get("logistics")));
        assertThat(normalised(body.get("items"))).isEqualTo(normalised(expected.get("items")));
        assertThat(normalised(body.get("declarant"))).isEqualTo(normalised(expected.get("declarant")));
        assertThat(OffsetDateTime.parse(body.get("payment").get("payTime").asString()).toInstant())
                .isEqualTo(OffsetDateTime.parse(declaration.get("payment").get("payTime").asString()).toInstant());

        // the same list again is the same answer; a changed one under the same guid is refused
        JsonNode again = json(send(messages.get("CEB621")), 202);
        assertThat(again.get("declarationId").asString()).isEqualTo(id);
        assertThat(again.get("replayed").asBoolean()).isTrue();
        byte[] changed = new String(messages.get("CEB621"), StandardCharsets.UTF_8).replace("<ceb:note></ceb:note>",
                "<ceb:note>changed</ceb:note>").getBytes(StandardCharsets.UTF_8);
        assertThat(send(changed).statusCode()).isEqualTo(409);
        // the order's sender has customs' receipt for its own order (CEB312): taken in; nobody else has it
        String orderGuid = new String(messages.get("CEB311"), StandardCharsets.UTF_8)
                .replaceAll("(?s).*?<ceb:guid>([^<]+)</ceb:guid>.*", "$1");
        HttpResponse<String> receipt = http.send(HttpRequest.newBuilder(uri("/api/v1/ceb/messages/CEB311/" + orderGuid))
                .header("Authorization", "Bearer " + AGENT).header("Accept", "application/xml").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(receipt.statusCode()).as(receipt.body()).isEqualTo(200);
        assertThat(receipt.body()).contains("<ceb:CEB312Message").contains("<ceb:OrderReturn>")
                .contains("<ceb:guid>" + orderGuid + "</ceb:guid>")
                .contains("<ceb:orderNo>" + declaration.get("order").get("orderNo").asString() + "</ceb:orderNo>")
                .contains("<ceb:returnStatus>120</ceb:returnStatus>");
        HttpResponse<String> notTheirs = http.send(HttpRequest.newBuilder(uri("/api/v1/ceb/messages/CEB311/" + orderGuid))
                .header("Authorization", "Bearer " + ENTERPRISE_B).header("Accept", "application/xml").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notTheirs.statusCode()).isEqualTo(404);
        // a new order document for the filed order is told to amend the declaration instead
        HttpResponse<String> late = send(CebSamples.order(declaration));
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains(id);
    }

    @Test
    void aStrangerCanNeitherReplaceNorUseNorLearnOfAnotherSendersDocuments() throws Exception {
        ObjectNode declaration = Samples.declaration();
        Map<String, byte[]> messages = CebSamples.messages(declaration);
        assertThat(json(send(messages.get("CEB311")), 202).get("status").asString()).isEqualTo("AWAITING");

        // B pays A's pending order through its own payment firm: kept as B's own, put together with nothing of
        // A's, and answered exactly as for an order no one sent
        ObjectNode forAsOrder = ofB(declaration.deepCopy());
        ObjectNode unknown = ofB(Samples.declaration());
        List<String> pending = awaiting(json(send(CebSamples.payment(forAsOrder), ENTERPRISE_B), 202));
        List<String> nothing = awaiting(json(send(CebSamples.payment(unknown), ENTERPRISE_B), 202));
        assertThat(pending).hasSize(3).isEqualTo(nothing.stream()
                .map(a -> a.replace(orderNoOf(unknown), orderNoOf(forAsOrder))).toList());

        // B's order for A's seller is refused on arrival; for its own seller, under A's guid and with its own
        // consignee, it is B's own document and A's order stays as A sent it
        String asOrder = new String(messages.get("CEB311"), StandardCharsets.UTF_8)
                .replaceFirst("<ceb:consignee>[^<]*</ceb:consignee>", "<ceb:consignee>Li Si</ceb:consignee>");
        assertRefused(asOrder, ENTERPRISE_B, 422, "/ceb:CEB311Message/ceb:Order/ceb:OrderHead/ceb:ebcCode", "party-register");
        String ownSeller = asOrder.replace("<ceb:ebcCode>4101960002</ceb:ebcCode>", "<ceb:ebcCode>4101960099</ceb:ebcCode>");
        assertThat(ownSeller).contains("4101960099");
        assertThat(json(send(ownSeller.getBytes(StandardCharsets.UTF_8), ENTERPRISE_B), 202).get("replayed").asBoolean()).isFalse();
        // B's list for A's order names parties that never authorised B: refused on arrival, nothing kept
        String asList = new String(messages.get("CEB621"), StandardCharsets.UTF_8).replace("4101960005", "4101960099");
        assertRefused(asList, ENTERPRISE_B, 422, "/ceb:CEB621Message/ceb:Inventory/ceb:InventoryHead/ceb:ebcCode", "party-register");
        assertRefused(asList, ENTERPRISE_B, 422, "/ceb:CEB621Message/ceb:Inventory/ceb:InventoryHead/ceb:logisticsCode",
                "party-register");

        // A completes its order: filed from A's own documents, A's consignee
        json(send(messages.get("CEB411")), 202);
        json(send(messages.get("CEB511")), 202);
        JsonNode filed = json(send(messages.get("CEB621")), 202);
        assertThat(filed.get("status").asString()).isEqualTo("FILED");
        String id = filed.get("declarationId").asString();
        JsonNode view = json(get("/api/v1/declarations/" + id), 200);
        assertThat(view.get("messages").valueStream().map(m -> m.get("sender").asString()).distinct().toList())
                .containsExactly("4101960005");
        assertThat(view.get("declaration").get("order").get("consignee").get("name").asString())
                .isEqualTo(declaration.get("order").get("consignee").get("name").asString());

        // B's payment for the filed order: still B's own pending document; neither a 409 nor A's declaration
        HttpResponse<String> late = send(CebSamples.payment(forAsOrder), ENTERPRISE_B);
        assertThat(late.statusCode()).as(late.body()).isEqualTo(202);
        assertThat(late.body()).doesNotContain(id).contains("AWAITING");
    }

    @Test
    void eachPartySendsItsOwnDocumentAndOnlyTheDeclaringAgentIsToldTheDeclaration() throws Exception {
        withSharedCarrier(() -> {
            ObjectNode declaration = carriedByTheSharedCarrier();
            Map<String, byte[]> messages = CebSamples.messages(declaration);
            for (String kind : List.of("CEB311", "CEB411", "CEB621")) {
                assertThat(json(send(messages.get(kind), ENTERPRISE_B), 202).get("status").asString()).isEqualTo("AWAITING");
            }
            // the carrier's waybill, sent by its agent enterprise-a, completes B's order: filed, but the
            // declaration is B's, so its id is not A's to know
            HttpResponse<String> waybill = send(messages.get("CEB511"));
            JsonNode answer = json(waybill, 202);
            assertThat(answer.get("status").asString()).isEqualTo("FILED");
            assertThat(answer.get("declarationId").isNull()).as(answer.toString()).isTrue();
            assertThat(waybill.headers().firstValue("Location")).isEmpty();
            // B, the declaring agent, is told it
            JsonNode own = json(send(messages.get("CEB621"), ENTERPRISE_B), 202);
            assertThat(own.get("replayed").asBoolean()).isTrue();
            String id = own.get("declarationId").asString();
            assertThat(json(get("/api/v1/declarations/" + id, ENTERPRISE_B), 200).get("messages").valueStream()
                    .map(m -> m.get("kind").asString() + " " + m.get("sender").asString()).toList())
                    .containsExactlyInAnyOrder("CEB311 4101960099", "CEB411 4101960099", "CEB621 4101960099", "CEB511 4101960005");
            assertThat(get("/api/v1/declarations/" + id).statusCode()).isEqualTo(404);
            // and A's waybill again is the same answer, still without the id
            JsonNode again = json(send(messages.get("CEB511")), 202);
            assertThat(again.get("replayed").asBoolean()).isTrue();
            assertThat(again.get("declarationId").isNull()).isTrue();
        });
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.singlewindow.kit.privacy.SealingKey seal;

    /** A CEB_XML subscription of the enterprise's to the lists' status and its own documents' receipts; its id. */
    private UUID documentSubscription(String enterpriseId) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into webhook_subscription (id, enterprise_id, url, events, format, secret, created_by, created_at, updated_at)
                        values (?, ?, 'https://receipts.invalid/ceb', array['status', 'document'], 'CEB_XML', ?, 'test', now(), now())""")
                .params(id, enterpriseId, seal.seal("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]))).update();
        return id;
    }

    /** The document receipts queued for a subscription, rendered as they are pushed, oldest first. */
    private List<String> pushedReceipts(UUID subscription) {
        return jdbc.sql("select payload::text from webhook_delivery where subscription_id = ? and event_type = 'document.receipt' order by id")
                .param(subscription).query(String.class).list().stream()
                .map(p -> new String(PartyReceiptPush.receipt(p, UUID.randomUUID()), StandardCharsets.UTF_8)).toList();
    }

    private void unsubscribe(UUID... subscriptions) {
        for (UUID s : subscriptions) {
            jdbc.sql("delete from webhook_delivery where subscription_id = ?").param(s).update();
            jdbc.sql("delete from webhook_subscription where id = ?").param(s).update();
        }
    }

    @Test
    void whatDoesNotFitWhenAnOrdersDocumentsComeTogetherIsToldToTheSenderOfTheFaultyOne() throws Exception {
        UUID ofB = documentSubscription("4101960099");
        UUID ofCarrier = documentSubscription("4101960005");
        try {
            whatDoesNotFitIsToldToItsSender(ofB, ofCarrier);
        } finally {
            unsubscribe(ofB, ofCarrier);
        }
    }

    private void whatDoesNotFitIsToldToItsSender(UUID ofB, UUID ofCarrier) throws Exception {
        withSharedCarrier(() -> {
            ObjectNode declaration = carriedByTheSharedCarrier();
            Map<String, byte[]> messages = CebSamples.messages(declaration);
            // B's list gives a country code customs does not have
            String badList = new String(messages.get("CEB621"), StandardCharsets.UTF_8)
                    .replaceFirst("<ceb:country>([0-9]+)</ceb:country>(\\s*<ceb:currency>)", "<ceb:country>999</ceb:country>$2");
            String listGuid = declaration.get("guid").asString().toUpperCase(java.util.Locale.ROOT);
            assertThat(badList).contains("<ceb:country>999</ceb:country>");
            json(send(messages.get("CEB311"), ENTERPRISE_B), 202);
            json(send(messages.get("CEB411"), ENTERPRISE_B), 202);
            json(send(badList.getBytes(StandardCharsets.UTF_8), ENTERPRISE_B), 202);

            // the carrier's waybill completes the order: its waybill is kept and waits for a corrected list
            JsonNode carrier = json(send(messages.get("CEB511")), 202);
            assertThat(carrier.get("status").asString()).isEqualTo("AWAITING");
            assertThat(awaiting(carrier)).singleElement().asString().startsWith("a corrected CEB621 inventory list");
            assertThat(carrier.toString()).doesNotContain("999").doesNotContain("country");
            // B reads what is wrong with its own list; nobody else can
            JsonNode state = json(get("/api/v1/ceb/messages/CEB621/" + listGuid, ENTERPRISE_B), 200);
            assertThat(state.get("status").asString()).isEqualTo("AWAITING");
            assertThat(state.get("findings").get("errors").valueStream().map(e -> e.get("field").asString() + " " + e.get("rule").asString()))
                    .contains("/ceb:CEB621Message/ceb:Inventory/ceb:InventoryList[1]/ceb:country country");
            assertThat(get("/api/v1/ceb/messages/CEB621/" + listGuid).statusCode()).isEqualTo(404);
            String waybillGuid = new String(messages.get("CEB511"), StandardCharsets.UTF_8).replaceAll("(?s).*?<ceb:guid>([^<]+)</ceb:guid>.*", "$1");
            assertThat(json(get("/api/v1/ceb/messages/CEB511/" + waybillGuid), 200).get("status").asString()).isEqualTo("AWAITING");
            // and is told without asking: its subscription gets the list's receipt, 100 with what is wrong
            assertThat(pushedReceipts(ofB)).singleElement().asString().contains("<ceb:CEB622Message", "<ceb:InventoryReturn>",
                    "<ceb:guid>" + listGuid + "</ceb:guid>", "<ceb:returnStatus>100</ceb:returnStatus>", "ceb:country");
            assertThat(pushedReceipts(ofCarrier)).isEmpty();

            // B corrects its list (a new guid): the order is filed, in B's name
            String corrected = new String(messages.get("CEB621"), StandardCharsets.UTF_8)
                    .replace("<ceb:guid>" + listGuid + "</ceb:guid>", "<ceb:guid>CEB621_LYBW01_CORRECTED_000000000001</ceb:guid>");
            JsonNode filed = json(send(corrected.getBytes(StandardCharsets.UTF_8), ENTERPRISE_B), 202);
            assertThat(filed.get("status").asString()).isEqualTo("FILED");
            assertThat(filed.get("declarationId").isString()).isTrue();
            JsonNode carriers = json(get("/api/v1/ceb/messages/CEB511/" + waybillGuid), 200);
            assertThat(carriers.get("status").asString()).isEqualTo("FILED");
            assertThat(carriers.get("declarationId").isNull()).isTrue();
            // filed: each sender is pushed its own documents' receipts (120), the carrier without B's declaration
            assertThat(pushedReceipts(ofCarrier)).singleElement().asString().contains("<ceb:CEB512Message", "<ceb:LogisticsReturn>",
                    "<ceb:guid>" + waybillGuid + "</ceb:guid>", "<ceb:returnStatus>120</ceb:returnStatus>");
            assertThat(jdbc.sql("select count(*) from webhook_delivery where subscription_id = ? and declaration_id is not null")
                    .param(ofCarrier).query(Long.class).single()).isZero();
            List<String> ofBs = pushedReceipts(ofB);
            assertThat(ofBs).hasSize(3);
            assertThat(ofBs.get(1)).contains("<ceb:CEB312Message", "<ceb:returnStatus>120</ceb:returnStatus>");
            assertThat(ofBs.get(2)).contains("<ceb:CEB412Message", "<ceb:returnStatus>120</ceb:returnStatus>");
        });
    }

    /** Something to do while Central Plains Express (4101960004) also carries for enterprise-b, sending its waybills through enterprise-a. */
    private void withSharedCarrier(ThrowingRunnable body) throws Exception {
        String admin = tokens.user("admin");
        String sandbox = new String(PartyRegister.sandboxDocument(), StandardCharsets.UTF_8);
        String shared = sandbox.replace("\"version\": \"sandbox-1\"", "\"version\": \"sandbox-1-shared-carrier\"")
                .replace("\"roles\": [\"LOGISTICS_FIRM\"], \"authorisedAgents\": [\"4101960005\"]",
                        "\"roles\": [\"LOGISTICS_FIRM\"], \"authorisedAgents\": [\"4101960005\", \"4101960099\"]");
        assertThat(shared).contains("[\"4101960005\", \"4101960099\"]");
        try {
            assertThat(put("/api/v1/admin/declaration/reference/party-register", shared, admin).statusCode()).isEqualTo(200);
            body.run();
        } finally {
            assertThat(put("/api/v1/admin/declaration/reference/party-register", sandbox, admin).statusCode()).isEqualTo(200);
        }
    }

    /** A declaration of enterprise-b that Central Plains Express carries ({@link #withSharedCarrier}). */
    private static ObjectNode carriedByTheSharedCarrier() {
        ObjectNode declaration = ofB(Samples.declaration());
        ((ObjectNode) declaration.get("logistics")).put("logisticsCode", "4101960004");
        return declaration;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aGuidOfTheSendersOwnFormIsTakenAndAnsweredExactlyAndTheListGetsCustomsNumbers() throws Exception {
        ObjectNode declaration = Samples.declaration();
        Map<String, byte[]> messages = CebSamples.messages(declaration);
        String listGuid = declaration.get("guid").asString().toUpperCase(java.util.Locale.ROOT);
        String ownForm = "CEB621_ZZBW01_20261207093015_0000001";
        String list = new String(messages.get("CEB621"), StandardCharsets.UTF_8)
                .replace("<ceb:guid>" + listGuid + "</ceb:guid>", "<ceb:guid>" + ownForm + "</ceb:guid>")
                .replace("<ceb:copNo>" + orderNoOf(declaration) + "</ceb:copNo>", "<ceb:copNo>COP-ZZ-0001</ceb:copNo>");
        assertThat(list).contains(ownForm).contains("COP-ZZ-0001");
        // longer than the standard's 36 characters: refused, naming the element
        assertRefused(list.replace(ownForm, ownForm + "XY"), 400, "/ceb:CEB621Message/ceb:Inventory/ceb:InventoryHead/ceb:guid",
                "pattern");
        // an upper-case UUID comes back as it was sent
        String orderGuid = "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D";
        String order = new String(messages.get("CEB311"), StandardCharsets.UTF_8)
                .replaceFirst("<ceb:guid>[^<]*</ceb:guid>", "<ceb:guid>" + orderGuid + "</ceb:guid>");
        assertThat(json(send(order.getBytes(StandardCharsets.UTF_8)), 202).get("guid").asString()).isEqualTo(orderGuid);
        json(send(messages.get("CEB411")), 202);
        json(send(messages.get("CEB511")), 202);
        JsonNode filed = json(send(list.getBytes(StandardCharsets.UTF_8)), 202);
        assertThat(filed.get("status").asString()).isEqualTo("FILED");
        assertThat(filed.get("guid").asString()).isEqualTo(ownForm);
        String id = filed.get("declarationId").asString();

        // the declaration (whose contract guid is a UUID) shows the list's guid on its message, and customs' numbers
        JsonNode view = json(get("/api/v1/declarations/" + id), 200);
        assertThat(view.get("messages").valueStream().filter(m -> m.get("kind").asString().equals("CEB621"))
                .map(m -> m.get("guid").asString()).toList()).containsExactly(ownForm);
        assertThat(view.get("preNo").asString()).matches("B20[0-9]{2}[01][0-9][0-3][0-9][0-9]{9}");
        String customsCode = declaration.get("declarant").get("customsCode").asString();
        assertThat(view.get("invtNo").asString()).matches(customsCode + "20[0-9]{2}I[0-9]{9}");
        // CEB622 answers with the list as filed
        HttpResponse<String> receipts = http.send(HttpRequest.newBuilder(uri("/api/v1/declarations/" + id + "/receipts"))
                .header("Authorization", "Bearer " + AGENT).header("Accept", "application/xml").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(receipts.statusCode()).isEqualTo(200);
        assertThat(receipts.body()).contains("<ceb:guid>" + ownForm + "</ceb:guid>").contains("<ceb:copNo>COP-ZZ-0001</ceb:copNo>")
                .contains("<ceb:preNo>" + view.get("preNo").asString() + "</ceb:preNo>")
                .contains("<ceb:invtNo>" + view.get("invtNo").asString() + "</ceb:invtNo>")
                .contains("<ceb:returnStatus>2</ceb:returnStatus>");
    }

    @Test
    void aMessageOfSeveralListsIsAnsweredListByList() throws Exception {
        ObjectNode first = Samples.declaration();
        ObjectNode second = Samples.declaration();
        ObjectNode third = Samples.declaration();
        for (ObjectNode d : List.of(first, second, third)) {
            Map<String, byte[]> messages = CebSamples.messages(d);
            for (String kind : List.of("CEB311", "CEB411", "CEB511")) {
                json(send(messages.get(kind)), 202);
            }
        }
        // three lists in one message, as bonded sites send them; the third has no order number
        String broken = inventoryBlock(third).replaceFirst("<ceb:orderNo>[^<]*</ceb:orderNo>", "<ceb:orderNo></ceb:orderNo>");
        String message = new String(CebSamples.inventory(first), StandardCharsets.UTF_8)
                .replace("</ceb:Inventory>", "</ceb:Inventory>" + inventoryBlock(second) + broken);
        JsonNode answer = json(send(message.getBytes(StandardCharsets.UTF_8)), 202);
        assertThat(answer.get("status").asString()).isEqualTo("PARTLY_REFUSED");
        List<JsonNode> documents = answer.get("documents").valueStream().toList();
        assertThat(documents).extracting(d -> d.get("status").asString()).containsExactly("FILED", "FILED", "REFUSED");
        assertThat(documents.get(0).get("guid").asString()).isEqualToIgnoringCase(first.get("guid").asString());
        assertThat(documents.get(1).get("guid").asString()).isEqualToIgnoringCase(second.get("guid").asString());
        assertThat(documents.get(2).get("problem").get("errors").valueStream()
                .map(e -> e.get("field").asString() + " " + e.get("rule").asString()))
                .contains("/ceb:CEB621Message/ceb:Inventory[3]/ceb:InventoryHead/ceb:orderNo required");
        for (int i = 0; i < 2; i++) {
            JsonNode view = json(get("/api/v1/declarations/" + documents.get(i).get("declarationId").asString()), 200);
            assertThat(view.get("orderNo").asString()).isEqualTo(List.of(first, second).get(i).get("order").get("orderNo").asString());
        }
        // the same message again: the two taken are the same answers, the third still refused
        JsonNode again = json(send(message.getBytes(StandardCharsets.UTF_8)), 202);
        assertThat(again.get("documents").valueStream().map(d -> d.get("replayed").asBoolean()).toList())
                .containsExactly(true, true, false);
        // every list refused: the message is refused, each problem named by its list's place
        String allBroken = new String(CebSamples.inventory(third), StandardCharsets.UTF_8)
                .replaceFirst("<ceb:orderNo>[^<]*</ceb:orderNo>", "<ceb:orderNo></ceb:orderNo>")
                .replace("</ceb:Inventory>", "</ceb:Inventory>" + broken);
        assertRefused(allBroken, 400, "/ceb:CEB621Message/ceb:Inventory[2]/ceb:InventoryHead/ceb:orderNo", "required");
    }

    @Test
    void aCebClientIsAnsweredWithCustomsReceiptsAndARefusalIsANegativeReceipt() throws Exception {
        ObjectNode first = Samples.declaration();
        ObjectNode second = Samples.declaration();
        Map<String, byte[]> messages = CebSamples.messages(first);
        for (String kind : List.of("CEB311", "CEB411", "CEB511")) {
            json(send(messages.get(kind)), 202);
        }
        // two lists, the second without its order number, from a client that reads receipts
        String broken = inventoryBlock(second).replaceFirst("<ceb:orderNo>[^<]*</ceb:orderNo>", "<ceb:orderNo></ceb:orderNo>");
        String message = new String(messages.get("CEB621"), StandardCharsets.UTF_8).replace("</ceb:Inventory>", "</ceb:Inventory>" + broken);
        HttpResponse<String> taken = sendAskingXml(message.getBytes(StandardCharsets.UTF_8));
        assertThat(taken.statusCode()).isEqualTo(202);
        assertThat(taken.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/xml");
        Document receipt = xml(taken.body());
        assertThat(receipt.getDocumentElement().getLocalName()).isEqualTo("CEB622Message");
        List<Map<String, String>> returns = blocks(receipt, "InventoryReturn");
        assertThat(returns).hasSize(2);
        assertThat(returns.get(0).get("guid")).isEqualTo(first.get("guid").asString().toUpperCase(java.util.Locale.ROOT));
        assertThat(returns.get(0).get("agentCode")).isEqualTo("4101960005");
        assertThat(returns.get(0).get("returnStatus")).isEqualTo("2");
        assertThat(returns.get(0).get("returnInfo")).startsWith("申报成功[" + returns.get(0).get("guid") + "]: filed as declaration ");
        assertThat(returns.get(1).get("guid")).isEqualTo(second.get("guid").asString().toUpperCase(java.util.Locale.ROOT));
        assertThat(returns.get(1).get("returnStatus")).isEqualTo("-400");
        assertThat(returns.get(1).get("returnInfo")).startsWith("退单: ")
                .contains("/ceb:CEB621Message/ceb:Inventory[2]/ceb:InventoryHead/ceb:orderNo: ").contains("(required)");

        // one order refused as a whole: the HTTP status, and the order's own receipt naming the element and its rule
        Map<String, byte[]> others = CebSamples.messages(second);
        String badOrder = new String(others.get("CEB311"), StandardCharsets.UTF_8)
                .replace("<ceb:appType>1</ceb:appType>", "<ceb:appType>9</ceb:appType>");
        HttpResponse<String> refused = sendAskingXml(badOrder.getBytes(StandardCharsets.UTF_8));
        assertThat(refused.statusCode()).isEqualTo(400);
        List<Map<String, String>> orderReturns = blocks(xml(refused.body()), "OrderReturn");
        assertThat(orderReturns).hasSize(1);
        assertThat(orderReturns.getFirst().keySet()).containsExactly("guid", "ebpCode", "ebcCode", "orderNo", "returnStatus",
                "returnTime", "returnInfo");
        assertThat(orderReturns.getFirst().get("orderNo")).isEqualTo(orderNoOf(second));
        assertThat(orderReturns.getFirst().get("returnStatus")).isEqualTo("-400");
        assertThat(orderReturns.getFirst().get("returnInfo")).contains("/ceb:CEB311Message/ceb:Order/ceb:OrderHead/ceb:appType: ")
                .contains("(enum)");
        // nothing of the sender's to change: -404; the same refusal in JSON for a caller that asks for it
        String change = new String(others.get("CEB411"), StandardCharsets.UTF_8)
                .replace("<ceb:appType>1</ceb:appType>", "<ceb:appType>2</ceb:appType>");
        HttpResponse<String> nothing = sendAskingXml(change.getBytes(StandardCharsets.UTF_8));
        assertThat(nothing.statusCode()).isEqualTo(404);
        assertThat(blocks(xml(nothing.body()), "PaymentReturn").getFirst().get("returnStatus")).isEqualTo("-404");
        assertThat(json(send(change.getBytes(StandardCharsets.UTF_8)), 404).get("status").asInt()).isEqualTo(404);
        // a body that is no CEB message at all has no receipt to be answered with: the problem, in JSON
        HttpResponse<String> notXml = sendAskingXml("<ceb:CEB311Message".getBytes(StandardCharsets.UTF_8));
        assertThat(notXml.statusCode()).isEqualTo(400);
        assertThat(notXml.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
    }

    private HttpResponse<String> sendAskingXml(byte[] xml) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/ceb/messages")).header("Authorization", "Bearer " + AGENT)
                        .header("Content-Type", "application/xml").header("Accept", "application/xml")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(xml)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Document xml(String body) throws Exception {
        javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Each {@code ceb:<name>} block of a receipt as its elements, in order. */
    private static List<Map<String, String>> blocks(Document receipt, String name) {
        List<Map<String, String>> blocks = new java.util.ArrayList<>();
        var found = receipt.getElementsByTagNameNS(CebSamples.NAMESPACE, name);
        for (int i = 0; i < found.getLength(); i++) {
            Map<String, String> elements = new java.util.LinkedHashMap<>();
            for (var n = found.item(i).getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof org.w3c.dom.Element e) {
                    elements.put(e.getLocalName(), e.getTextContent());
                }
            }
            blocks.add(elements);
        }
        return blocks;
    }

    /** The {@code ceb:Inventory} element of a declaration's CEB621. */
    private static String inventoryBlock(JsonNode declaration) {
        String xml = new String(CebSamples.inventory(declaration), StandardCharsets.UTF_8);
        return xml.substring(xml.indexOf("<ceb:Inventory>"), xml.indexOf("</ceb:Inventory>") + "</ceb:Inventory>".length());
    }

    @Test
    void changesAndDeletionsInXmlFollowTheStandardsRules() throws Exception {
        ObjectNode declaration = Samples.declaration();
        String orderNo = orderNoOf(declaration);
        json(send(CebSamples.order(declaration)), 202);
        // appType 2 before the list is filed: the sender's waiting order is replaced
        String changedOrder = appType(CebSamples.order(declaration), 2)
                .replaceFirst("<ceb:consignee>[^<]*</ceb:consignee>", "<ceb:consignee>Wang Wu</ceb:consignee>");
        assertThat(json(send(changedOrder.getBytes(StandardCharsets.UTF_8)), 202).get("status").asString()).isEqualTo("AWAITING");
        // appType 3: a waiting document is deleted; nothing of the sender's to delete or change is a 404
        assertThat(send(appType(CebSamples.payment(declaration), 3).getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(404);
        assertThat(send(appType(CebSamples.payment(declaration), 2).getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(404);
        json(send(CebSamples.payment(declaration)), 202);
        JsonNode deleted = json(send(appType(CebSamples.payment(declaration), 3).getBytes(StandardCharsets.UTF_8)), 202);
        assertThat(deleted.get("status").asString()).isEqualTo("DELETED");
        json(send(CebSamples.waybill(declaration)), 202);
        assertThat(awaiting(json(send(CebSamples.inventory(declaration)), 202))).containsExactly("CEB411 payment of order " + orderOf(declaration));
        JsonNode filed = json(send(CebSamples.payment(declaration)), 202);
        assertThat(filed.get("status").asString()).isEqualTo("FILED");
        String id = filed.get("declarationId").asString();
        JsonNode view = json(get("/api/v1/declarations/" + id), 200);
        assertThat(view.get("declaration").get("order").get("consignee").get("name").asString()).isEqualTo("Wang Wu");

        // once its list is filed, a document it used cannot change or go: the list is cancelled first
        HttpResponse<String> late = send(appType(CebSamples.order(declaration), 2).getBytes(StandardCharsets.UTF_8));
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.body()).contains("used by a list already taken in").contains("cancelled before");
        assertThat(send(appType(CebSamples.waybill(declaration), 3).getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(409);
        // the list itself is changed by appType 2: the declaration is amended (version 2) with the order, payment and
        // waybill it was filed with
        String changedList = appType(CebSamples.inventory(declaration), 2)
                .replaceFirst("<ceb:guid>[^<]*</ceb:guid>", "<ceb:guid>CEB621_CHANGE_0000000000000000000001</ceb:guid>")
                .replaceFirst("<ceb:buyerTelephone>[^<]*</ceb:buyerTelephone>", "<ceb:buyerTelephone>13900000000</ceb:buyerTelephone>");
        JsonNode amended = json(send(changedList.getBytes(StandardCharsets.UTF_8)), 202);
        assertThat(amended.get("status").asString()).isEqualTo("AMENDED");
        assertThat(amended.get("declarationId").asString()).isEqualTo(id);
        JsonNode after = json(get("/api/v1/declarations/" + id), 200);
        assertThat(after.get("version").asInt()).isEqualTo(2);
        assertThat(after.get("declaration").get("order").get("buyer").get("telephone").asString()).isEqualTo("13900000000");
        assertThat(after.get("declaration").get("appType").asString()).isEqualTo("CHANGE");
        // and cannot be deleted once taken in: cancelled through the declaration
        HttpResponse<String> deleteList = send(appType(CebSamples.inventory(declaration), 3)
                .replaceFirst("<ceb:guid>[^<]*</ceb:guid>", "<ceb:guid>CEB621_DELETE_0000000000000000000001</ceb:guid>").getBytes(StandardCharsets.UTF_8));
        assertThat(deleteList.statusCode()).isEqualTo(409);
        assertThat(deleteList.body()).contains("/api/v1/declarations/" + id + "/cancellation");
        // an appType the standard does not have
        assertRefused(appType(CebSamples.order(declaration), 4), 400, "/ceb:CEB311Message/ceb:Order/ceb:OrderHead/ceb:appType", "enum");
    }

    private static String appType(byte[] message, int appType) {
        return new String(message, StandardCharsets.UTF_8).replace("<ceb:appType>1</ceb:appType>", "<ceb:appType>" + appType + "</ceb:appType>");
    }

    @Test
    void theStandardsOtherElementsAreTakenWhereTheyBelong() throws Exception {
        ObjectNode declaration = Samples.declaration();
        Map<String, byte[]> messages = CebSamples.messages(declaration);
        String subscribe = "<ceb:BaseSubscribe><ceb:status>ALL</ceb:status><ceb:dxpMode>DXP</ceb:dxpMode>"
                + "<ceb:dxpAddress>DXPENT0000000001</ceb:dxpAddress></ceb:BaseSubscribe>";
        String extend = "<ceb:ExtendMessage><ceb:name>site</ceb:name><ceb:version>1.0</ceb:version>"
                + "<ceb:Message><site><lane>3</lane></site></ceb:Message></ceb:ExtendMessage>";
        // a line without a bar code ("无"), its trade country, two subscriptions and an extension
        String list = new String(messages.get("CEB621"), StandardCharsets.UTF_8)
                .replaceFirst("<ceb:barCode>[^<]*</ceb:barCode>", "<ceb:barCode>无</ceb:barCode>")
                .replaceFirst("(<ceb:InventoryList>(?:(?!</ceb:InventoryList>).)*?<ceb:country>[^<]*</ceb:country>)",
                        "$1<ceb:tradeCountry>110</ceb:tradeCountry>")
                .replace("</ceb:BaseTransfer>", "</ceb:BaseTransfer>" + subscribe + subscribe + extend);
        assertThat(list).contains("<ceb:tradeCountry>110</ceb:tradeCountry>").contains("<ceb:barCode>无</ceb:barCode>");
        // the order with the district in the standard's current spelling
        String order = new String(messages.get("CEB311"), StandardCharsets.UTF_8)
                .replaceFirst("(<ceb:consigneeAddress>[^<]*</ceb:consigneeAddress>)(<ceb:consigneeDitrict>[^<]*</ceb:consigneeDitrict>)?",
                        "$1<ceb:consigneeDistrict>410100</ceb:consigneeDistrict>");
        assertThat(order).contains("<ceb:consigneeDistrict>410100</ceb:consigneeDistrict>");
        // six subscriptions are more than the standard has
        assertRefused(list.replace(subscribe + subscribe, subscribe.repeat(6)), 400, "/ceb:CEB621Message/ceb:BaseSubscribe", "maxItems");

        json(send(order.getBytes(StandardCharsets.UTF_8)), 202);
        json(send(messages.get("CEB411")), 202);
        json(send(messages.get("CEB511")), 202);
        JsonNode filed = json(send(list.getBytes(StandardCharsets.UTF_8)), 202);
        assertThat(filed.get("status").asString()).as(filed.toString()).isEqualTo("FILED");
        JsonNode view = json(get("/api/v1/declarations/" + filed.get("declarationId").asString()), 200);
        assertThat(view.get("declaration").get("items").get(0).path("barCode").isString()).isFalse();
    }

    @Test
    void aBondedListMayNameItsAccountAndZoneEnterpriseInsteadOfTheSite() throws Exception {
        ObjectNode declaration = Samples.declaration();
        Map<String, byte[]> messages = CebSamples.messages(declaration);
        String warehouse = declaration.get("logistics").get("warehouseCode").asString();
        String byAccount = new String(messages.get("CEB621"), StandardCharsets.UTF_8)
                .replace("<ceb:loctNo>" + warehouse + "</ceb:loctNo>", "<ceb:loctNo></ceb:loctNo>")
                .replaceFirst("<ceb:emsNo>[^<]*</ceb:emsNo>", "<ceb:emsNo>T4606W000001</ceb:emsNo>");
        assertThat(byAccount).contains("<ceb:emsNo>T4606W000001</ceb:emsNo>").contains("<ceb:loctNo></ceb:loctNo>");
        for (String kind : List.of("CEB311", "CEB411", "CEB511")) {
            json(send(messages.get(kind)), 202);
        }
        // an account no one registered, or another zone enterprise's: named, nothing filed
        assertRefused(byAccount.replace("T4606W000001", "T9999W999999"), 422,
                "/ceb:CEB621Message/ceb:Inventory/ceb:InventoryHead/ceb:emsNo", "party-register");
        assertRefused(byAccount.replaceFirst("<ceb:areaCode>[^<]*</ceb:areaCode>", "<ceb:areaCode>4101960099</ceb:areaCode>"), 400,
                "/ceb:CEB621Message/ceb:Inventory/ceb:InventoryHead/ceb:areaCode", "match");
        // the account's warehouse is the site the goods leave
        JsonNode filed = json(send(byAccount.getBytes(StandardCharsets.UTF_8)), 202);
        assertThat(filed.get("status").asString()).as(filed.toString()).isEqualTo("FILED");
        JsonNode view = json(get("/api/v1/declarations/" + filed.get("declarationId").asString()), 200);
        assertThat(view.get("declaration").get("logistics").get("warehouseCode").asString()).isEqualTo(warehouse).isEqualTo("ZZBW01");
    }

    @org.springframework.beans.factory.annotation.Autowired
    CebFiling filing;
    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void aListWhoseCompanionsDoNotComeInTimeIsReturnedNamingWhatIsMissing() throws Exception {
        ObjectNode declaration = Samples.declaration();
        Map<String, byte[]> messages = CebSamples.messages(declaration);
        String listGuid = declaration.get("guid").asString().toUpperCase(java.util.Locale.ROOT);
        json(send(messages.get("CEB311")), 202);
        json(send(messages.get("CEB621")), 202);
        // a day and more later, the payment and the waybill have not come: the list is returned (100)
        jdbc.sql("update ceb_document set received_at = received_at - interval '2 days' where kind = 'CEB621' and guid = ?")
                .param(listGuid).update();
        UUID subscription = documentSubscription("4101960005");
        try {
            assertThat(filing.returnOverdueLists(java.time.OffsetDateTime.now().minusDays(1))).isGreaterThanOrEqualTo(1);
            // its sender is told without asking: the list's receipt, 100, naming what did not come
            assertThat(pushedReceipts(subscription)).anySatisfy(r -> assertThat(r).contains("<ceb:CEB622Message",
                    "<ceb:guid>" + listGuid + "</ceb:guid>", "<ceb:returnStatus>100</ceb:returnStatus>", "CEB411 payment"));
        } finally {
            unsubscribe(subscription);
        }
        JsonNode state = json(get("/api/v1/ceb/messages/CEB621/" + listGuid), 200);
        assertThat(state.get("status").asString()).isEqualTo("RETURNED");
        assertThat(state.get("findings").get("status").asInt()).isEqualTo(100);
        assertThat(state.get("findings").get("errors").valueStream().map(e -> e.get("message").asString()).toList())
                .anySatisfy(m -> assertThat(m).contains("CEB411 payment"))
                .anySatisfy(m -> assertThat(m).contains("CEB511 waybill"));
        // the late payment and waybill are not put together with the returned list: they wait for a new one
        json(send(messages.get("CEB411")), 202);
        assertThat(awaiting(json(send(messages.get("CEB511")), 202))).anySatisfy(a -> assertThat(a).startsWith("CEB621 inventory list"));
        assertThat(json(send(messages.get("CEB621")), 202).get("status").asString()).isEqualTo("RETURNED");
        String again = new String(messages.get("CEB621"), StandardCharsets.UTF_8)
                .replace("<ceb:guid>" + listGuid + "</ceb:guid>", "<ceb:guid>CEB621_REFILED_000000000000000000001</ceb:guid>");
        assertThat(json(send(again.getBytes(StandardCharsets.UTF_8)), 202).get("status").asString()).isEqualTo("FILED");
    }

    @Test
    void theSamplesTheReadmeSendsFileTheirOrder() throws Exception {
        JsonNode last = null;
        for (String sample : List.of("ceb311-order", "ceb411-payment", "ceb511-waybill", "ceb621-inventory")) {
            last = json(send(Files.readAllBytes(Path.of("../../infra/samples", sample + ".xml"))), 202);
        }
        assertThat(last.get("status").asString()).as(last.toString()).isEqualTo("FILED");
        String declaration = "/api/v1/declarations/" + last.get("declarationId").asString();
        assertThat(json(get(declaration), 200).get("declaration").get("order").get("orderNo").asString())
                .isEqualTo("SAMPLE-ORDER-0001");
        // XML is read, and answered only as customs' own messages: the declaration is JSON, its receipts CEB622
        HttpResponse<String> asXml = http.send(HttpRequest.newBuilder(uri(declaration)).header("Authorization", "Bearer " + AGENT)
                .header("Accept", "application/xml").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(asXml.statusCode()).isEqualTo(406);
        HttpResponse<String> receipts = http.send(HttpRequest.newBuilder(uri(declaration + "/receipts"))
                .header("Authorization", "Bearer " + AGENT).header("Accept", "application/xml").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(receipts.statusCode()).isEqualTo(200);
        assertThat(receipts.body()).contains("<ceb:CEB622Message");
    }

    @Test
    void theApiDocumentLogsInThroughTheRealmAndShowsWorkingExamples() throws Exception {
        JsonNode doc = json(http.send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build(), HttpResponse.BodyHandlers.ofString()), 200);
        assertThat(doc.get("servers").get(0).get("url").asString()).isEqualTo("/");
        JsonNode code = doc.get("components").get("securitySchemes").get("realm").get("flows").get("authorizationCode");
        assertThat(code.get("authorizationUrl").asString()).endsWith("/protocol/openid-connect/auth");
        assertThat(doc.get("tags").valueStream().map(t -> t.get("name").asString()).toList())
                .contains("Declarations", "CEB XML", "Webhooks", "Reference data", "Operations")
                .noneMatch(name -> name.endsWith("-controller"));
        JsonNode submit = doc.get("paths").get("/api/v1/declarations").get("post");
        assertThat(submit.get("requestBody").get("content").get("application/json").get("example").get("declarationType").asString())
                .isEqualTo("BONDED_IMPORT_1210");
        assertThat(submit.get("responses").get("400").get("content").get("application/problem+json").get("example")
                .get("errors").get(0).get("field").asString()).isEqualTo("/order/actualPaid");
        assertThat(doc.get("paths").get("/api/v1/ceb/messages").get("post").get("requestBody").get("content")
                .get("application/xml").get("example").asString()).contains("<ceb:CEB621Message");
        assertThat(doc.toString()).doesNotContain("/internal/v1");
    }

    @Test
    void anOrderFiledAsJsonAndAsXmlIsOneDeclaration() throws Exception {
        ObjectNode declaration = Samples.declaration();
        HttpResponse<String> jsonFiling = http.send(HttpRequest.newBuilder(uri("/api/v1/declarations"))
                .header("Authorization", "Bearer " + AGENT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(declaration))).build(),
                HttpResponse.BodyHandlers.ofString());
        String id = json(jsonFiling, 202).get("id").asString();

        JsonNode last = null;
        for (byte[] message : CebSamples.messages(declaration).values()) {
            last = json(send(message), 202);
        }
        assertThat(last.get("status").asString()).isEqualTo("FILED");
        assertThat(last.get("declarationId").asString()).isEqualTo(id);
        assertThat(last.get("replayed").asBoolean()).isTrue();
    }

    @Test
    void signaturesVerifyAgainstTheRegisteredCertificateAndARegistrationCanRequireThem() throws Exception {
        String admin = tokens.user("admin");
        CebSamples.Signer agent = CebSamples.Signer.generate("Zhengzhou Airport Supply Chain Co");
        CebSamples.Signer card = CebSamples.Signer.generateSm2("Zhengzhou Airport Supply Chain Co SM2 card");
        CebSamples.Signer stranger = CebSamples.Signer.generate("Someone else");
        String sandbox = new String(PartyRegister.sandboxDocument(), StandardCharsets.UTF_8);
        String signing = sandbox.replace("\"version\": \"sandbox-1\"", "\"version\": \"sandbox-1-signing\"")
                .replace("\"warehouses\": [\"ZZBW01\"]", "\"warehouses\": [\"ZZBW01\"], \"requireSigned\": true, \"certificates\": [\""
                        + agent.registered() + "\", \"" + card.registered() + "\"]");
        assertThat(signing).contains("requireSigned");
        try {
            assertThat(put("/api/v1/admin/declaration/reference/party-register", signing, admin).statusCode()).isEqualTo(200);
            ObjectNode declaration = Samples.declaration();
            Map<String, byte[]> messages = CebSamples.messages(declaration);

            // unsigned: refused, naming why
            JsonNode unsigned = json(send(messages.get("CEB311")), 422);
            assertThat(unsigned.get("errors").get(0).get("field").asString()).isEqualTo("/ceb:CEB311Message/ds:Signature");
            assertThat(unsigned.get("errors").get(0).get("message").asString()).contains("no ds:Signature");
            // signed by a key the agent did not register
            JsonNode foreign = json(send(stranger.sign(messages.get("CEB311"), false)), 422);
            assertThat(foreign.get("errors").get(0).get("message").asString()).contains("not one the sender registered");
            // signed, then changed
            String tampered = new String(agent.sign(messages.get("CEB311"), true), StandardCharsets.UTF_8)
                    .replace("<ceb:goodsValue>300.00</ceb:goodsValue>", "<ceb:goodsValue>30.00</ceb:goodsValue>");
            assertThat(tampered).contains("<ceb:goodsValue>30.00</ceb:goodsValue>");
            JsonNode changed = json(send(tampered.getBytes(StandardCharsets.UTF_8)), 422);
            assertThat(changed.get("errors").get(0).get("rule").asString()).isEqualTo("signature");

            // an SM2 signature over a changed message
            String tamperedSm2 = new String(card.sign(messages.get("CEB311"), true), StandardCharsets.UTF_8)
                    .replace("<ceb:goodsValue>300.00</ceb:goodsValue>", "<ceb:goodsValue>30.00</ceb:goodsValue>");
            assertThat(tamperedSm2).contains("<ceb:goodsValue>30.00</ceb:goodsValue>");
            JsonNode changedSm2 = json(send(tamperedSm2.getBytes(StandardCharsets.UTF_8)), 422);
            assertThat(changedSm2.get("errors").get(0).get("rule").asString()).isEqualTo("signature");

            // signed as e-port's older cards sign (RSA-SHA1), with RSA-SHA256, as its SM2 cards sign (sm2-sm3 over a
            // SHA-1 digest) and by its 2022 specification (SM3 digest): filed, each signer's fingerprint kept
            JsonNode last = null;
            int n = 0;
            for (byte[] message : messages.values()) {
                CebSamples.Signer signer = n % 2 == 0 ? agent : card;
                last = json(send(signer.sign(message, n < 2)), 202);
                n++;
            }
            assertThat(last.get("status").asString()).isEqualTo("FILED");
            String fingerprint = XmlSignatures.fingerprint(agent.certificate());
            String sm2Fingerprint = XmlSignatures.fingerprint(card.certificate());
            assertThat(last.get("signature").get("certificateSha256").asString()).isEqualTo(sm2Fingerprint);
            JsonNode view = json(get("/api/v1/declarations/" + last.get("declarationId").asString()), 200);
            assertThat(view.get("messages").valueStream().map(m -> m.get("signerCertificateSha256").asString()).distinct().toList())
                    .containsExactlyInAnyOrder(fingerprint, sm2Fingerprint);
            assertThat(view.get("messages").valueStream().map(m -> m.get("signatureAlgorithm").asString()).distinct().toList())
                    .containsExactlyInAnyOrder("http://www.w3.org/2000/09/xmldsig#rsa-sha1",
                            "http://www.w3.org/2000/09/xmldsig#sm2-sm3", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                            "http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3");
        } finally {
            assertThat(put("/api/v1/admin/declaration/reference/party-register", sandbox, admin).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void malformedUnsafeAndInconsistentMessagesAreRefusedNamingWhy() throws Exception {
        ObjectNode declaration = Samples.declaration();
        String list = new String(CebSamples.inventory(declaration), StandardCharsets.UTF_8);
        String body = list.substring(list.indexOf("<ceb:CEB621Message"));

        assertRefused("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]>" + body, 400, "", "dtd");
        assertRefused("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + body.replace(
                "<ceb:note></ceb:note>", "<ceb:note>&e;</ceb:note>"), 400, "", "dtd");
        assertRefused(body.replace("<ceb:note></ceb:note>", "<ceb:note>&e;</ceb:note>"), 400, "", "entity");
        assertRefused(body.substring(0, body.length() - 30), 400, "", "xml");
        assertRefused("<order/>", 400, "/order", "message");
        assertRefused(list.replace("<ceb:trafNo>", "<ceb:flightNo></ceb:flightNo><ceb:trafNo>"), 400,
                "/ceb:CEB621Message/ceb:Inventory/ceb:InventoryHead/ceb:flightNo", "element");
        assertRefused(list.replace("<ceb:appStatus>2</ceb:appStatus>", "<ceb:appStatus>1</ceb:appStatus>"), 400,
                "/ceb:CEB621Message/ceb:Inventory/ceb:InventoryHead/ceb:appStatus", "supported");
        String deep = "<a>".repeat(40) + "</a>".repeat(40);
        assertRefused(body.replace("<ceb:note></ceb:note>", "<ceb:note>" + deep + "</ceb:note>"), 400, "", "depth");
        // another agent's list
        assertRefused(list.replace("<ceb:agentCode>4101960005</ceb:agentCode>", "<ceb:agentCode>4101960099</ceb:agentCode>"),
                422, "/ceb:CEB621Message/ceb:Inventory/ceb:InventoryHead/ceb:agentCode", "tenant");

        // put together, the order's fields break the contract: named where they were sent
        ObjectNode bad = Samples.declaration();
        Map<String, byte[]> messages = CebSamples.messages(bad);
        for (String kind : List.of("CEB411", "CEB511", "CEB621")) {
            json(send(messages.get(kind)), 202);
        }
        String order = new String(messages.get("CEB311"), StandardCharsets.UTF_8)
                .replace("<ceb:currency>142</ceb:currency>", "<ceb:currency>999</ceb:currency>");
        assertRefused(order, 400, "/ceb:CEB311Message/ceb:Order/ceb:OrderHead/ceb:currency", "currency");
        String noValue = new String(messages.get("CEB311"), StandardCharsets.UTF_8)
                .replaceAll("<ceb:goodsValue>[^<]*</ceb:goodsValue>", "<ceb:goodsValue></ceb:goodsValue>");
        assertRefused(noValue, 400, "/ceb:CEB311Message/ceb:Order/ceb:OrderHead/ceb:goodsValue", "required");
        // and the right one files it
        assertThat(json(send(messages.get("CEB311")), 202).get("status").asString()).isEqualTo("FILED");
    }

    private void assertRefused(String xml, int status, String field, String rule) throws Exception {
        assertRefused(xml, AGENT, status, field, rule);
    }

    private void assertRefused(String xml, String token, int status, String field, String rule) throws Exception {
        HttpResponse<String> response = send(xml.getBytes(StandardCharsets.UTF_8), token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode errors = Json.mapper().readTree(response.body()).get("errors");
        assertThat(errors.valueStream().map(e -> e.get("field").asString() + " " + e.get("rule").asString()).toList())
                .as(response.body()).contains(field + " " + rule);
    }

    /** As read back from JSON, without the fields the stored body writes as null. */
    private static JsonNode normalised(JsonNode node) {
        return withoutNulls(Json.mapper().readTree(Json.mapper().writeValueAsString(node)));
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().removeIf(e -> e.getValue().isNull());
            object.values().forEach(CebApiIT::withoutNulls);
        } else if (node.isArray()) {
            node.values().forEach(CebApiIT::withoutNulls);
        }
        return node;
    }

    private static String orderOf(JsonNode declaration) {
        return declaration.get("order").get("orderNo").asString() + " (" + declaration.get("order").get("ebpCode").asString() + ")";
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.mapper().readTree(response.body());
    }

    /**
     * A declaration of enterprise-b: declared by itself, for its own goods, paid through and carried by the
     * firms that authorised it, on the marketplace both sell on (party register).
     */
    private static ObjectNode ofB(ObjectNode declaration) {
        ((ObjectNode) declaration.get("declarant")).put("agentCode", "4101960099").put("assureCode", "4101960099");
        ((ObjectNode) declaration.get("order")).put("ebcCode", "4101960099");
        ((ObjectNode) declaration.get("payment")).put("payCode", "3101960010");
        ((ObjectNode) declaration.get("logistics")).put("logisticsCode", "4101960097").put("warehouseCode", "LYBW01");
        return declaration;
    }

    private static List<String> awaiting(JsonNode answer) {
        assertThat(answer.get("status").asString()).as(answer.toString()).isEqualTo("AWAITING");
        return answer.get("awaiting").valueStream().map(JsonNode::asString).toList();
    }

    private static String orderNoOf(JsonNode declaration) {
        return declaration.get("order").get("orderNo").asString();
    }

    private HttpResponse<String> send(byte[] xml) throws Exception {
        return send(xml, AGENT);
    }

    private HttpResponse<String> send(byte[] xml, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/ceb/messages")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofByteArray(xml)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(path, AGENT);
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

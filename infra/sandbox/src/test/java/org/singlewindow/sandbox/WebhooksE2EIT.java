package org.singlewindow.sandbox;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks end to end through the gateway: an enterprise subscribes, its declaration's receipts and
 * status changes arrive at its endpoint signed as Standard Webhooks says (verified here with the secret
 * the subscription showed once), a receiver that fails gets everything on the retry, a receiver that
 * never answers holds up no one else, and the delivery log and replays work.
 */
class WebhooksE2EIT {

    private static Platform platform;
    private static E2EClient client;
    private static final List<Receiver> receivers = new ArrayList<>();

    @BeforeAll
    static void start() {
        platform = E2EPlatform.get();
        client = new E2EClient(platform);
    }

    @AfterAll
    static void stopReceivers() {
        receivers.forEach(r -> r.server.stop(0));
    }

    /** One delivery as the receiver got it. */
    record Received(String id, String timestamp, String signature, String body) {
        JsonNode json() {
            return Json.mapper().readTree(body);
        }
    }

    /** An enterprise's endpoint on this machine: answers 204, or 503 to each message's first attempt, or never. */
    static final class Receiver {
        enum Mode { OK, FAIL_FIRST_ATTEMPT, HANG }

        final HttpServer server;
        final List<Received> received = new CopyOnWriteArrayList<>();
        final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        final CountDownLatch released = new CountDownLatch(1);

        Receiver(Mode mode) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                var h = exchange.getRequestHeaders();
                Received r = new Received(h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"),
                        new String(body, StandardCharsets.UTF_8));
                int status = 204;
                if (mode == Mode.HANG) {
                    try {
                        released.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    status = 503;
                } else if (mode == Mode.FAIL_FIRST_ATTEMPT && failedOnce.add(r.id())) {
                    status = 503;
                } else {
                    received.add(r);
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
            receivers.add(this);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        /** What arrived about this declaration. */
        List<Received> about(String declarationId) {
            return received.stream().filter(r -> r.json().get("data").get("declarationId").asString().equals(declarationId)).toList();
        }
    }

    /** Checks a webhook as a receiver must: one of the signatures is HMAC-SHA256 of id.timestamp.body under the secret. */
    static boolean signedWith(Received r, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        return List.of(r.signature().split(" ")).contains(expected);
    }

    private static JsonNode subscribe(Receiver receiver, String... events) throws Exception {
        String body = "{\"url\": \"" + receiver.url() + "\", \"events\": " + Json.mapper().writeValueAsString(List.of(events)) + "}";
        HttpResponse<String> created = client.call("POST", "/api/v1/subscriptions", "enterprise-a", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode subscription = E2EClient.json(created);
        assertThat(subscription.get("secret").asString()).startsWith("whsec_");
        return subscription;
    }

    /** The declaration, once cleared and settled by all five agencies. */
    private static JsonNode clearedAndSettled(String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = E2EClient.json(client.call("GET", "/api/v1/declarations/" + id, "enterprise-a", null));
            return last[0].path("followUps").path("completedAt").isString();
        });
        assertThat(last[0].get("status").asString()).isEqualTo("CLEARED");
        return last[0];
    }

    @Test
    void everyReceiptAndStatusChangeArrivesSignedWhileADeadReceiverWaitsAloneAndReplaysSendTheSameMessagesAgain() throws Exception {
        Receiver healthy = new Receiver(Receiver.Mode.OK);
        Receiver dead = new Receiver(Receiver.Mode.HANG);
        JsonNode subscription = subscribe(healthy, "receipt", "status", "settlement");
        String secret = subscription.get("secret").asString();
        String subscriptionId = subscription.get("id").asString();
        String deadId = subscribe(dead, "receipt", "status", "settlement").get("id").asString();
        try {
            // the secret is shown once
            JsonNode read = E2EClient.json(client.call("GET", "/api/v1/subscriptions/" + subscriptionId, "enterprise-a", null));
            assertThat(read.get("url").asString()).isEqualTo(healthy.url());
            assertThat(read.path("secret").isNull() || read.path("secret").isMissingNode()).isTrue();
            // another enterprise does not see it
            assertThat(client.call("GET", "/api/v1/subscriptions/" + subscriptionId, "enterprise-b", null).statusCode()).isEqualTo(404);

            OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1);
            String id = client.submit(E2EClient.declarationOfANewBuyer());
            JsonNode view = clearedAndSettled(id);
            Set<String> receiptIds = new java.util.HashSet<>();
            view.get("receipts").forEach(r -> receiptIds.add(r.get("receiptId").asString()));

            // every receipt the window kept, each once, and every status it went through, in the order they happened
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(healthy.about(id).stream()
                    .filter(r -> !r.json().get("type").asString().equals("declaration.status"))
                    .map(r -> r.json().get("data").get("receipt").get("receiptId").asString()).collect(Collectors.toSet()))
                    .isEqualTo(receiptIds));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(statuses(healthy, id)).endsWith("CLEARED"));
            List<Received> got = healthy.about(id);
            assertThat(got).extracting(Received::id).doesNotHaveDuplicates();
            assertThat(statuses(healthy, id)).startsWith("RECEIVED").containsOnlyOnce("CLEARED");
            for (Received r : got) {
                assertThat(signedWith(r, secret)).as("signature of %s", r.id()).isTrue();
                assertThat(Long.parseLong(r.timestamp())).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(300L));
            }
            assertThat(got).filteredOn(r -> r.json().get("type").asString().equals("declaration.settlement")).hasSize(5);
            // the dead receiver's endpoint still holds its first attempts: nothing of it has been delivered
            JsonNode deadLog = E2EClient.json(client.call("GET", "/api/v1/subscriptions/" + deadId + "/deliveries?state=DELIVERED",
                    "enterprise-a", null));
            assertThat(deadLog.size()).isZero();

            // the delivery log: each delivered at the first attempt, with its status code and latency
            JsonNode log = E2EClient.json(client.call("GET", "/api/v1/subscriptions/" + subscriptionId + "/deliveries?limit=500",
                    "enterprise-a", null));
            List<JsonNode> ours = new ArrayList<>();
            log.forEach(d -> {
                if (d.get("declarationId").asString().equals(id)) {
                    ours.add(d);
                }
            });
            assertThat(ours).hasSize(got.size()).allSatisfy(d -> assertThat(d.get("state").asString()).isEqualTo("DELIVERED"));
            long oneId = ours.getFirst().get("id").asLong();
            JsonNode detail = E2EClient.json(client.call("GET", "/api/v1/subscriptions/" + subscriptionId + "/deliveries/" + oneId,
                    "enterprise-a", null));
            assertThat(detail.get("attempts").get(0).get("statusCode").asInt()).isEqualTo(204);
            assertThat(detail.get("attempts").get(0).has("latencyMs")).isTrue();
            assertThat(detail.get("payload").get("data").get("declarationId").asString()).isEqualTo(id);

            // a new secret: the old one goes on signing beside it during the overlap
            HttpResponse<String> rotated = client.call("POST", "/api/v1/subscriptions/" + subscriptionId + "/secret-rotation",
                    "enterprise-a", "{\"overlap\": \"PT1H\"}");
            assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
            String newSecret = E2EClient.json(rotated).get("secret").asString();
            assertThat(newSecret).startsWith("whsec_").isNotEqualTo(secret);

            // one delivery replayed: the same message (webhook-id and body) again, signed with both secrets
            String replayedId = detail.get("delivery").get("webhookId").asString();
            HttpResponse<String> replay = client.call("POST", "/api/v1/subscriptions/" + subscriptionId + "/deliveries/" + oneId + "/replay",
                    "enterprise-a", null);
            assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> healthy.about(id).stream().filter(r -> r.id().equals(replayedId)).count() == 2);
            List<Received> both = healthy.about(id).stream().filter(r -> r.id().equals(replayedId)).toList();
            assertThat(both.get(1).body()).isEqualTo(both.get(0).body());
            assertThat(signedWith(both.get(1), newSecret)).isTrue();
            assertThat(signedWith(both.get(1), secret)).isTrue();

            // everything since a time: every message of this declaration once more
            HttpResponse<String> since = client.call("POST", "/api/v1/subscriptions/" + subscriptionId + "/replay", "enterprise-a",
                    "{\"since\": \"" + before + "\"}");
            assertThat(since.statusCode()).as(since.body()).isEqualTo(202);
            assertThat(E2EClient.json(since).get("requeued").asInt()).isGreaterThanOrEqualTo(got.size());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(healthy.about(id).stream()
                    .collect(Collectors.groupingBy(Received::id, Collectors.counting())).values()).hasSize(got.size())
                    .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(2)));
        } finally {
            dead.released.countDown();
            assertThat(client.call("DELETE", "/api/v1/subscriptions/" + subscriptionId, "enterprise-a", null).statusCode()).isEqualTo(204);
            assertThat(client.call("DELETE", "/api/v1/subscriptions/" + deadId, "enterprise-a", null).statusCode()).isEqualTo(204);
        }
        assertThat(E2EClient.json(client.call("GET", "/api/v1/subscriptions/" + subscriptionId, "enterprise-a", null))
                .get("active").asBoolean()).isFalse();
    }

    @Test
    void aReceiverThatFailsGetsEveryMessageOnTheRetryAndTheLogShowsBothAttempts() throws Exception {
        Receiver failing = new Receiver(Receiver.Mode.FAIL_FIRST_ATTEMPT);
        JsonNode subscription = subscribe(failing, "status");
        String subscriptionId = subscription.get("id").asString();
        try {
            String id = client.submit(E2EClient.declarationOfANewBuyer());
            clearedAndSettled(id);
            // the first retry comes 5 seconds after the first attempt (sw.webhooks.retry-schedule)
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(statuses(failing, id)).endsWith("CLEARED"));
            assertThat(statuses(failing, id)).startsWith("RECEIVED").doesNotHaveDuplicates();
            for (Received r : failing.about(id)) {
                assertThat(signedWith(r, subscription.get("secret").asString())).isTrue();
            }
            JsonNode log = E2EClient.json(client.call("GET", "/api/v1/subscriptions/" + subscriptionId + "/deliveries", "enterprise-a", null));
            long deliveryId = -1;
            for (JsonNode d : log) {
                if (d.get("declarationId").asString().equals(id)) {
                    assertThat(d.get("state").asString()).isEqualTo("DELIVERED");
                    assertThat(d.get("tries").asInt()).isEqualTo(2);
                    deliveryId = d.get("id").asLong();
                }
            }
            JsonNode attempts = E2EClient.json(client.call("GET", "/api/v1/subscriptions/" + subscriptionId + "/deliveries/" + deliveryId,
                    "enterprise-a", null)).get("attempts");
            assertThat(attempts.size()).isEqualTo(2);
            assertThat(attempts.get(0).get("statusCode").asInt()).isEqualTo(503);
            assertThat(attempts.get(0).get("error").asString()).isEqualTo("answered 503");
            assertThat(attempts.get(1).get("statusCode").asInt()).isEqualTo(204);
        } finally {
            client.call("DELETE", "/api/v1/subscriptions/" + subscriptionId, "enterprise-a", null);
        }
    }

    @Test
    void theListsStatusIsCustomsCeb622PulledWithAcceptXmlOrPushedToACebSubscription() throws Exception {
        Receiver receiver = new Receiver(Receiver.Mode.OK);
        String body = "{\"url\": \"" + receiver.url() + "\", \"events\": [\"status\"], \"format\": \"CEB_XML\"}";
        // the agencies' own receipts have no CEB622 status
        HttpResponse<String> refused = client.call("POST", "/api/v1/subscriptions", "enterprise-a",
                body.replace("[\"status\"]", "[\"status\", \"receipt\"]"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("/events").contains("no CEB622 status");
        HttpResponse<String> created = client.call("POST", "/api/v1/subscriptions", "enterprise-a", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode subscription = E2EClient.json(created);
        try {
            ObjectNode declaration = E2EClient.declarationOfANewBuyer();
            String id = client.submit(declaration);
            JsonNode view = clearedAndSettled(id);
            String preNo = view.get("preNo").asString();
            assertThat(preNo).matches("B[0-9]{17}");
            assertThat(view.get("invtNo").asString()).matches(declaration.get("declarant").get("customsCode").asString() + "[0-9]{4}I[0-9]{9}");

            // pulled: the statuses the list went through, in customs' codes; the agencies' own answers folded in
            HttpResponse<String> pulled = client.call("GET", "/api/v1/declarations/" + id + "/receipts", "enterprise-a", null,
                    "Accept", "application/xml");
            assertThat(pulled.statusCode()).as(pulled.body()).isEqualTo(200);
            assertThat(pulled.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
            org.w3c.dom.Document xml = parse(pulled.body());
            assertThat(texts(xml, "returnStatus")).containsExactly("2", "120", "399", "800");
            assertThat(text(xml, "guid")).containsOnly(declaration.get("guid").asString());
            assertThat(text(xml, "copNo")).containsOnly(declaration.get("order").get("orderNo").asString());
            assertThat(text(xml, "preNo")).containsOnly(preNo);
            assertThat(text(xml, "invtNo")).containsOnly(view.get("invtNo").asString());
            // as JSON, every agency's receipt, as the declaration shows them
            assertThat(E2EClient.json(client.call("GET", "/api/v1/declarations/" + id + "/receipts", "enterprise-a", null)).size())
                    .isEqualTo(view.get("receipts").size());

            // pushed: each change of the list's status as its own CEB622 message, signed like any webhook
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.received.stream()
                    .filter(r -> r.body().contains("<ceb:preNo>" + preNo + "</ceb:preNo>")).count() == 2);
            List<String> pushed = new ArrayList<>();
            for (Received r : receiver.received.stream().filter(r -> r.body().contains(preNo)).toList()) {
                assertThat(signedWith(r, subscription.get("secret").asString())).isTrue();
                org.w3c.dom.Document one = parse(r.body());
                assertThat(one.getDocumentElement().getLocalName()).isEqualTo("CEB622Message");
                pushed.add(String.join(" ", texts(one, "returnStatus")));
            }
            assertThat(pushed).containsExactlyInAnyOrder("120", "399 800");
        } finally {
            client.call("DELETE", "/api/v1/subscriptions/" + subscription.get("id").asString(), "enterprise-a", null);
        }
    }

    private static List<String> texts(org.w3c.dom.Document xml, String element) {
        var nodes = xml.getElementsByTagNameNS("http://www.chinaport.gov.cn/ceb", element);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(nodes.item(i).getTextContent());
        }
        return values;
    }

    private static org.w3c.dom.Document parse(String xml) throws Exception {
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Set<String> text(org.w3c.dom.Document xml, String element) {
        var nodes = xml.getElementsByTagNameNS("http://www.chinaport.gov.cn/ceb", element);
        Set<String> values = new java.util.HashSet<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(nodes.item(i).getTextContent());
        }
        return values;
    }

    @Test
    void aSubscriptionNamesAReachableEndpointAndKnownEvents() throws Exception {
        record Case(String body, String field, String says) {
        }
        for (Case c : List.of(
                new Case("{\"events\": [\"status\"]}", "/url", "required"),
                new Case("{\"url\": \"ftp://example.org/hook\", \"events\": [\"status\"]}", "/url", "http or https"),
                new Case("{\"url\": \"http://169.254.169.254/latest/meta-data\", \"events\": [\"status\"]}", "/url", "may not reach"),
                new Case("{\"url\": \"http://10.0.0.8/hook\", \"events\": [\"status\"]}", "/url", "may not reach"),
                new Case("{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"everything\"]}", "/events/0", "is not one of"),
                new Case("{\"url\": \"http://127.0.0.1:9/hook\", \"events\": []}", "/events", "at least one"),
                new Case("{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"status\"], \"format\": \"EDIFACT\"}", "/format", "EDIFACT"))) {
            HttpResponse<String> refused = client.call("POST", "/api/v1/subscriptions", "enterprise-a", c.body());
            assertThat(refused.statusCode()).as(c.body()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(refused.body()).as(c.body()).contains("\"" + c.field() + "\"").contains(c.says());
        }
        // the same Idempotency-Key: the subscription made the first time, its secret not shown again
        String body = "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"status\"]}";
        HttpResponse<String> first = client.call("POST", "/api/v1/subscriptions", "enterprise-b", body, "Idempotency-Key", "sub-e2e-1");
        HttpResponse<String> again = client.call("POST", "/api/v1/subscriptions", "enterprise-b", body, "Idempotency-Key", "sub-e2e-1");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        String id = E2EClient.json(first).get("id").asString();
        assertThat(E2EClient.json(again).get("id").asString()).isEqualTo(id);
        assertThat(E2EClient.json(again).path("secret").isNull()).isTrue();
        assertThat(client.call("POST", "/api/v1/subscriptions", "enterprise-b", body.replace("status", "receipt"),
                "Idempotency-Key", "sub-e2e-1").statusCode()).isEqualTo(409);
        assertThat(client.call("DELETE", "/api/v1/subscriptions/" + id, "enterprise-b", null).statusCode()).isEqualTo(204);
    }

    /** The statuses the receiver heard of for this declaration, in the order they were entered. */
    private static List<String> statuses(Receiver receiver, String declarationId) {
        return receiver.about(declarationId).stream().filter(r -> r.json().get("type").asString().equals("declaration.status"))
                .sorted(java.util.Comparator.comparing((Received r) -> OffsetDateTime.parse(r.json().get("timestamp").asString()))
                        .thenComparing(r -> r.json().get("data").get("status").asString().equals("RECEIVED") ? 0 : 1))
                .map(r -> r.json().get("data").get("status").asString()).toList();
    }
}

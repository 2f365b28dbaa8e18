package org.singlewindow.sandbox;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
import org.singlewindow.contract.Topology;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end through the gateway: the platform's own jars, each in its own JVM, on the embedded
 * broker and PostgreSQL (default) or on RabbitMQ and PostgreSQL on 127.0.0.1 (-Preal-infra), as the
 * realm's demo users (enterprise-a files; officers and admin read their back-offices).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformE2EIT {

    private static Platform platform;
    private static String amqpVhost;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        platform = E2EPlatform.get();
        amqpVhost = E2EPlatform.amqpVhost();
    }

    @Test
    @Order(1)
    void everyAgencyAcknowledgesAndDecidesAndTheStatusConsolidates() throws Exception {
        HttpResponse<String> response = submit(Samples.declaration(), "e2e-" + UUID.randomUUID());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("X-Correlation-Id")).isPresent();
        String location = response.headers().firstValue("Location").orElseThrow();

        JsonNode view = awaitStatus(location, "CLEARED");
        assertThat(count(view.get("receipts"), "ACKNOWLEDGEMENT", 120)).isEqualTo(5);
        assertThat(count(view.get("receipts"), "DECISION", 800)).isEqualTo(5);
        assertThat(view.get("agencies").valueStream().allMatch(a -> a.get("acknowledged").asBoolean()
                && a.get("decisionCode").asInt() == 800)).isTrue();
        assertThat(view.get("timeline").valueStream().map(e -> e.get("kind").asString()))
                .contains("SUBMITTED", "ACKNOWLEDGED", "DECIDED", "STATUS");
    }

    @Test
    @Order(2)
    void aDuplicateSubmissionFansOutOnce() throws Exception {
        ObjectNode declaration = Samples.declaration();
        HttpResponse<String> first = submit(declaration, null);
        HttpResponse<String> second = submit(declaration, null);
        String id = Json.mapper().readTree(first.body()).get("id").asString();

        assertThat(Json.mapper().readTree(second.body()).get("id").asString()).isEqualTo(id);
        awaitStatus("/api/v1/declarations/" + id, "CLEARED");
        JsonNode view = awaitFollowUps(id);
        Thread.sleep(1_000);
        view = get("/api/v1/declarations/" + id);
        // per agency: acknowledgement, decision, settlement of the clearance
        assertThat(view.get("receipts")).hasSize(15);
        JsonNode customsCase = get("/api/v1/customs/declarations/" + id);
        assertThat(customsCase.get("receipts")).hasSize(3);
    }

    @Test
    @Order(3)
    void oneAgencysRejectionRejectsTheDeclarationWithItsReason() throws Exception {
        ObjectNode declaration = Samples.declaration();
        ((ObjectNode) declaration.get("items").get(0)).put("totalPrice", new java.math.BigDecimal("299.00"));

        HttpResponse<String> response = submit(declaration, null);
        JsonNode view = awaitStatus(response.headers().firstValue("Location").orElseThrow(), "REJECTED");

        assertThat(view.get("receipts").valueStream()
                .anyMatch(r -> r.get("agency").asString().equals("TAX") && r.get("statusCode").asInt() == 100
                        && r.get("reasonCode").asString().equals("MSG_ITEM_TOTAL"))).isTrue();
        HttpResponse<String> cancel = send(HttpRequest.newBuilder(gateway(view.get("id").asString() + "/cancellation"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(cancel.statusCode()).isEqualTo(409);
    }

    @Test
    @Order(4)
    void invalidInputThroughTheGatewayIsAProblemAndNothingIsStored() throws Exception {
        ObjectNode declaration = Samples.declaration();
        ((ObjectNode) declaration.get("order").get("buyer")).put("idNumber", "123");
        HttpResponse<String> response = submit(declaration, null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("/order/buyer/idNumber");
        JsonNode list = get("/api/v1/declarations?size=200");
        String orderNo = declaration.get("order").get("orderNo").asString();
        assertThat(list.get("items").valueStream().noneMatch(i -> i.get("orderNo").asString().equals(orderNo))).isTrue();
    }

    @Test
    @Order(5)
    void aPoisonMessageIsDeadLetteredWhileOthersFlow() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(platform.amqpHost());
        factory.setPort(platform.amqpPort());
        factory.setVirtualHost(amqpVhost);
        // as the window (its broker user), so that the agencies take it and find it poison
        factory.setUsername(Topology.brokerUser("declaration"));
        factory.setPassword(org.singlewindow.infra.embedded.EmbeddedBroker.sandboxPassword(Topology.brokerUser("declaration")));
        try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId(UUID.randomUUID().toString())
                    .userId(Topology.brokerUser("declaration"))
                    .type(Topology.DECLARATION_SUBMITTED).contentType("application/json").deliveryMode(2).build();
            channel.basicPublish(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, props,
                    "{\"declarationId\": \"not-a-uuid\"".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> next = submit(Samples.declaration(), null);
        awaitStatus(next.headers().firstValue("Location").orElseThrow(), "CLEARED");

        for (String agency : List.of("customs", "inspection", "tax", "forex", "logistics")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode dead = get("/api/v1/admin/" + agency + "/dead-letters");
                return dead.get(0).get("depth").asLong() >= 1;
            });
        }
        assertThat(get("/api/v1/admin/customs/dead-letters").get(0).get("sample").get(0).get("reason").asString())
                .contains("DeclarationSubmitted");
    }

    @Test
    @Order(6)
    void servicesKilledMidStreamLoseNothing() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            ids.add(idOf(submit(Samples.declaration(), "crash-" + UUID.randomUUID())));
        }
        platform.kill("customs");
        for (int i = 0; i < 15; i++) {
            ids.add(idOf(submit(Samples.declaration(), "crash-" + UUID.randomUUID())));
        }
        platform.kill("declaration");
        platform.startService("declaration");
        platform.startService("customs");
        platform.awaitReady(Duration.ofMinutes(3));

        for (String id : ids) {
            awaitStatus("/api/v1/declarations/" + id, "CLEARED");
            JsonNode view = awaitFollowUps(id);
            Map<String, Long> perAgencyAndKind = new java.util.HashMap<>();
            view.get("receipts").valueStream().forEach(r -> perAgencyAndKind.merge(
                    r.get("agency").asString() + "/" + r.get("kind").asString(), 1L, Long::sum));
            // one acknowledgement, one decision and one settlement per agency
            assertThat(perAgencyAndKind).hasSize(15).allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1L));
        }
    }

    private String idOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return Json.mapper().readTree(response.body()).get("id").asString();
    }

    private static long count(JsonNode receipts, String kind, int status) {
        return receipts.valueStream().filter(r -> r.get("kind").asString().equals(kind) && r.get("statusCode").asInt() == status).count();
    }

    private JsonNode awaitStatus(String location, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = get(location);
            return last[0].has("status") && status.equals(last[0].get("status").asString());
        });
        return last[0];
    }

    /** The declaration once every agency has settled its outcome. */
    private JsonNode awaitFollowUps(String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = get("/api/v1/declarations/" + id);
            return last[0].path("followUps").path("completedAt").isString();
        });
        return last[0];
    }

    private URI gateway(String pathOrId) {
        String path = pathOrId.startsWith("/") ? pathOrId : "/api/v1/declarations/" + pathOrId;
        return URI.create(platform.gateway() + path);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway(path)).GET());
        return Json.mapper().readTree(response.body());
    }

    private HttpResponse<String> submit(JsonNode declaration, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway("/api/v1/declarations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(declaration)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        String path = built.uri().getPath();
        String user = "enterprise-a";
        if (path.startsWith("/api/v1/admin/")) {
            user = "admin";
        } else if (!path.startsWith("/api/v1/declarations")) {
            user = path.split("/")[3] + "-officer";
        }
        return http.send(HttpRequest.newBuilder(built, (name, value) -> true)
                        .header("Authorization", "Bearer " + E2EPlatform.tokens().fresh(user)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

package org.singlewindow.declaration.intake;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
import org.singlewindow.contract.Topology;
import org.singlewindow.declaration.DeclarationApplication;
import org.singlewindow.infra.embedded.TestInfrastructure;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The declaration service's API against a real broker and database. No agency runs here, so the
 * messages it fans out stay on the agency queues, where the test counts them.
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
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"guid\": ")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> text = http.send(HttpRequest.newBuilder(uri("/api/v1/declarations"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
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
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"customer changed their mind\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertThat(Json.mapper().readTree(cancelled.body()).get("status").asString()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(20)).until(() -> published() == before + 1);
        assertThat(jdbc.sql("select count(*) from declaration_event where kind = 'CANCELLED' and declaration_id = ?")
                .param(UUID.fromString(id)).query(Long.class).single()).isEqualTo(1);
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(uri("/api/v1/declarations/" + id + "/cancellation"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(202);
        Thread.sleep(500);
        assertThat(published()).isEqualTo(before + 1);
        HttpResponse<String> list = get("/api/v1/declarations?status=CANCELLED&size=200");
        assertThat(list.body()).contains(id);
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
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(JsonNode body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/v1/declarations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

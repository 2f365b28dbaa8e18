package org.singlewindow.kit.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.Headers;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Topology;
import org.singlewindow.infra.embedded.TestInfrastructure;
import org.singlewindow.infra.embedded.Tokens;
import org.singlewindow.kit.Pruning;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The kit's messaging against a real broker and database (embedded, or real with -Preal-infra). */
@SpringBootTest(classes = KitTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.application.name=kit", "sw.database.schema=kit_it", "management.server.port=0",
                "sw.messaging.retry-backoff=20ms", "sw.outbox.max-attempts=2", "sw.outbox.retry-after=10ms"})
// tracing is off in Spring Boot tests unless asked for: this test checks the trace crosses the broker
@org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing
class MessagingKitIT {

    private static final TestInfrastructure infra = TestInfrastructure.start();
    private static final Tokens tokens = new Tokens(TestInfrastructure.issuer().issuer());
    private static final String QUEUE = Topology.agencyQueue(Agency.CUSTOMS);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        infra.springProperties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @AfterAll
    static void stop() {
        infra.close();
    }

    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RabbitTemplate rabbit;
    @Autowired
    DeadLetters deadLetters;
    @Autowired
    MeterRegistry meters;
    @Autowired
    io.micrometer.tracing.Tracer tracer;
    @Autowired
    ConsumerContainers consumers;
    @Autowired
    OutboxRelay relay;
    @Autowired
    Pruning pruning;
    @LocalServerPort
    int port;

    @BeforeEach
    void clean() {
        await().atMost(Duration.ofSeconds(20)).until(() -> queueDepth(QUEUE) == 0);
        jdbc.sql("delete from effect").update();
    }

    @Test
    void publishesThroughTheOutboxAndTheConsumerAppliesItOnce() {
        UUID declarationId = UUID.randomUUID();
        tx.executeWithoutResult(s -> outbox.add(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED,
                declarationId, Map.of("n", 1)));

        await().atMost(Duration.ofSeconds(20)).until(() -> effects(1) == 1);
        assertThat(jdbc.sql("select count(*) from outbox").query(Long.class).single()).isZero();
    }

    @Test
    void theTraceCrossesTheBrokerThroughTheOutbox() {
        var span = tracer.nextSpan().name("test request").start();
        try (var scope = tracer.withSpan(span)) {
            tx.executeWithoutResult(s -> outbox.add(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED,
                    UUID.randomUUID(), Map.of("n", 21)));
        } finally {
            span.end();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> effects(21) == 1);
        assertThat(jdbc.sql("select trace_id from effect where n = 21").query(String.class).single())
                .isEqualTo(span.context().traceId());
    }

    @Test
    void aRolledBackTransactionPublishesNothing() {
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
            outbox.add(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, UUID.randomUUID(), Map.of("n", 2));
            throw new IllegalStateException("business failure");
        })).hasMessage("business failure");
        tx.executeWithoutResult(s -> outbox.add(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED,
                UUID.randomUUID(), Map.of("n", 3)));

        await().atMost(Duration.ofSeconds(20)).until(() -> effects(3) == 1);
        assertThat(effects(2)).isZero();
    }

    @Test
    void addingToTheOutboxOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> outbox.add(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED,
                UUID.randomUUID(), Map.of("n", 4))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRedeliveredMessageHasOneEffect() {
        double duplicatesBefore = duplicates();
        Message message = message(UUID.randomUUID().toString(), "{\"n\": 5}");
        rabbit.send(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, message);
        rabbit.send(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, message);

        await().atMost(Duration.ofSeconds(20)).until(() -> duplicates() == duplicatesBefore + 1);
        assertThat(effects(5)).isEqualTo(1);
    }

    @Test
    void whatWaitsIsHandledInBatchesAndAPoisonMessageInABatchIsIsolated() {
        double fallbacksBefore = counter("sw.messages.batch.fallbacks");
        List<String> sent = new java.util.ArrayList<>();
        String poison = null;
        consumers.containers().forEach(c -> c.stop());
        try {
            for (int i = 0; i < 60; i++) {
                String id = UUID.randomUUID().toString();
                String body = i == 30 ? "{\"n\": 1030, \"poison\": true}" : "{\"n\": " + (1000 + i) + "}";
                poison = i == 30 ? id : poison;
                sent.add(id);
                rabbit.send(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, message(id, body));
            }
            // the same message twice in what waits: one effect
            Message twice = message(UUID.randomUUID().toString(), "{\"n\": 1099}");
            sent.add(twice.getMessageProperties().getMessageId());
            rabbit.send(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, twice);
            rabbit.send(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, twice);
        } finally {
            consumers.containers().forEach(c -> c.start());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select count(*) from effect where n between 1000 and 1099")
                .query(Long.class).single() == 60);
        // identified by message id, not by the dead-letter queue's depth: other tests' letters (replayed,
        // failing again) may still be on their way back there while this one runs
        String poisonId = poison;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deadLetters.peek(QUEUE, 1_000))
                .as("letters of this test on the dead-letter queue (dead letters counted: %s, retries: %s)",
                        counter("sw.dead.letters"), counter("sw.messages.retries"))
                .extracting(DeadLetters.DeadLetter::messageId).filteredOn(sent::contains).containsExactly(poisonId));
        assertThat(jdbc.sql("select count(distinct n) from effect where n between 1000 and 1099").query(Long.class).single()).isEqualTo(60);
        assertThat(effects(1030)).isZero();
        assertThat(effects(1099)).isOne();
        assertThat(counter("sw.messages.batch.fallbacks")).isGreaterThan(fallbacksBefore);
        assertThat(meters.find("sw.messages.batch.size").tag("queue", QUEUE).summary().max()).isGreaterThan(1);
    }

    @Test
    void aRowTheBrokerReturnsIsParkedWithItsErrorAndDoesNotHoldUpTheRowsBehindIt() throws Exception {
        tx.executeWithoutResult(s -> {
            outbox.add(Topology.RECEIPTS_EXCHANGE, "nobody.listens.here", UUID.randomUUID(), Map.of("n", 40));
            outbox.add(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, UUID.randomUUID(), Map.of("n", 41));
        });
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> effects(41) == 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("select count(*) from outbox where parked_at is not null")
                    .query(Long.class).single() == 1);
            // an unroutable mandatory message is returned (312 NO_ROUTE), or on Qpid Broker-J at times refused with a nack
            assertThat(jdbc.sql("select attempts || ' ' || last_error from outbox where parked_at is not null").query(String.class).single())
                    .matches("2 (returned by the broker: 312 |refused by the broker).*");
            await().atMost(Duration.ofSeconds(20)).until(() -> meters.get("sw.outbox.parked").gauge().value() == 1);
            HttpResponse<String> status = http("GET", "/api/v1/admin/kit/outbox", tokens.user("admin"));
            assertThat(status.body()).contains("\"parked\":1").contains("nobody.listens.here").contains("by the broker");

            // put back in line, it is tried again (and parked again: still nobody listens)
            HttpResponse<String> retried = http("POST", "/api/v1/admin/kit/outbox/parked/retry", tokens.user("admin"));
            assertThat(retried.body()).isEqualTo("{\"requeued\":1}");
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
                    "select count(*) from outbox where parked_at is not null and attempts = 2").query(Long.class).single() == 1);
        } finally {
            jdbc.sql("delete from outbox where parked_at is not null or routing_key = 'nobody.listens.here'").update();
        }
    }

    @Test
    void inboxRowsAndArchivedDeadLettersOlderThanTheirRetentionArePruned() {
        jdbc.sql("insert into inbox (consumer, message_id, received_at) values ('kit-test', 'old-one', now() - interval '31 days')").update();
        jdbc.sql("insert into inbox (consumer, message_id) values ('kit-test', 'recent-one')").update();
        for (String age : List.of("181 days", "1 day")) {
            jdbc.sql("""
                            insert into discarded_dead_letter (queue, message_id, headers, body, discarded_by, discarded_at, note)
                            values ('kit-test', ?, '{}', '\\x00', 'admin', now() - cast(? as interval), 'test')""")
                    .params("archived-" + age, age).update();
        }

        assertThat(pruning.prune().get("inbox")).isGreaterThanOrEqualTo(1);

        assertThat(jdbc.sql("select count(*) from inbox where message_id in ('old-one', 'recent-one')").query(Long.class).single()).isOne();
        assertThat(jdbc.sql("select message_id from discarded_dead_letter where queue = 'kit-test'").query(String.class).list())
                .containsExactly("archived-1 day");
    }

    @Test
    void aPoisonMessageIsDeadLetteredWithItsErrorWhileOthersFlow() throws Exception {
        long dlqBefore = deadLetters.depth(QUEUE);
        rabbit.send(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED,
                message(UUID.randomUUID().toString(), "{\"n\": 6, \"poison\": true}"));
        rabbit.send(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED,
                message(UUID.randomUUID().toString(), "not json at all"));
        rabbit.send(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED,
                message(UUID.randomUUID().toString(), "{\"n\": 7}"));

        await().atMost(Duration.ofSeconds(20)).until(() -> effects(7) == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.depth(QUEUE) == dlqBefore + 2);
        assertThat(effects(6)).isZero();
        assertThat(deadLetters.peek(QUEUE, 10))
                .anySatisfy(d -> assertThat(d.reason()).contains("poison pill 6"))
                .anySatisfy(d -> assertThat(d.reason()).contains("not a valid JsonNode"));

        assertThat(http("GET", "/api/v1/admin/kit/dead-letters", null).statusCode()).isEqualTo(401);
        assertThat(http("GET", "/api/v1/admin/kit/dead-letters", tokens.user("customs-officer")).statusCode()).isEqualTo(403);
        assertThat(http("POST", "/api/v1/admin/kit/dead-letters/" + QUEUE + "/replay", tokens.user("enterprise-a")).statusCode())
                .isEqualTo(403);
        HttpResponse<String> listing = http("GET", "/api/v1/admin/kit/dead-letters", tokens.user("admin"));
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(listing.body()).contains(QUEUE).contains("poison pill 6");

        // a replay puts them back on the queue; they fail again and return to the dead-letter queue
        HttpResponse<String> replay = http("POST", "/api/v1/admin/kit/dead-letters/" + QUEUE + "/replay", tokens.user("admin"));
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"replayed\":" + (dlqBefore + 2));
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.depth(QUEUE) == dlqBefore + 2);
        assertThat(effects(6)).isZero();
    }

    @Test
    void anAdministratorInspectsReplaysAndDiscardsOneDeadLetterAndTheDiscardIsArchived() throws Exception {
        String poison = UUID.randomUUID().toString();
        String fixable = UUID.randomUUID().toString();
        long before = deadLetters.depth(QUEUE);
        rabbit.send(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, message(poison, "{\"n\": 16, \"poison\": true}"));
        rabbit.send(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, message(fixable, "{\"n\": 17, \"poison\": true}"));
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.depth(QUEUE) == before + 2);
        String admin = tokens.user("admin");

        HttpResponse<String> one = http("GET", "/api/v1/admin/kit/dead-letters/" + QUEUE + "/" + poison, admin);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("poison pill 16").contains(Headers.DEAD_LETTER_ATTEMPTS).contains("\\\"n\\\": 16");
        assertThat(http("GET", "/api/v1/admin/kit/dead-letters/" + QUEUE + "/no-such-id", admin).statusCode()).isEqualTo(404);
        assertThat(http("GET", "/api/v1/admin/kit/dead-letters/no-such-queue/" + poison, admin).statusCode()).isEqualTo(404);
        // inspecting takes nothing away (the letters it looked at are back once the broker has requeued them)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deadLetters.depth(QUEUE)).isEqualTo(before + 2));

        // a discard needs a reason, then keeps the letter in the database and takes it off the broker
        assertThat(send("DELETE", "/api/v1/admin/kit/dead-letters/" + QUEUE + "/" + poison, admin, "{\"note\": \"\"}").statusCode())
                .isEqualTo(400);
        assertThat(send("DELETE", "/api/v1/admin/kit/dead-letters/" + QUEUE + "/" + poison, tokens.user("customs-officer"),
                "{\"note\": \"not mine\"}").statusCode()).isEqualTo(403);
        HttpResponse<String> discarded = send("DELETE", "/api/v1/admin/kit/dead-letters/" + QUEUE + "/" + poison, admin,
                "{\"note\": \"test data sent by mistake\"}");
        assertThat(discarded.statusCode()).as(discarded.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deadLetters.depth(QUEUE)).isEqualTo(before + 1));
        assertThat(jdbc.sql("select discarded_by || ' ' || note || ' ' || convert_from(body, 'UTF8') from discarded_dead_letter where message_id = ?")
                .param(poison).query(String.class).single()).isEqualTo("admin test data sent by mistake {\"n\": 16, \"poison\": true}");
        assertThat(send("DELETE", "/api/v1/admin/kit/dead-letters/" + QUEUE + "/" + poison, admin,
                "{\"note\": \"again\"}").statusCode()).isEqualTo(404);

        // the other one, replayed alone, fails again and comes back: nothing lost
        HttpResponse<String> replayed = http("POST", "/api/v1/admin/kit/dead-letters/" + QUEUE + "/" + fixable + "/replay", admin);
        assertThat(replayed.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.inspect(QUEUE, fixable).isPresent());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deadLetters.depth(QUEUE)).isEqualTo(before + 1));
        assertThat(effects(16)).isZero();

        HttpResponse<String> outboxStatus = http("GET", "/api/v1/admin/kit/outbox", admin);
        assertThat(outboxStatus.statusCode()).isEqualTo(200);
        assertThat(outboxStatus.body()).contains("\"backlog\":");
        assertThat(http("GET", "/api/v1/admin/kit/outbox", tokens.user("enterprise-a")).statusCode()).isEqualTo(403);

        // every read in full, discard and replay is in the audit log, with who and on what
        HttpResponse<String> audit = http("GET", "/api/v1/admin/kit/audit", admin);
        assertThat(audit.statusCode()).isEqualTo(200);
        var entries = Json.mapper().readTree(audit.body());
        assertThat(entries.valueStream().filter(e -> e.get("actor").asString().equals("admin"))
                .map(e -> e.get("action").asString() + " " + e.get("target").asString()).toList())
                .contains("dead-letter.read " + QUEUE + "/" + poison, "dead-letter.discard " + QUEUE + "/" + poison,
                        "dead-letter.replay " + QUEUE + "/" + fixable);
        // the split roles: operations may do this, reference data and finance may only read the log
        assertThat(http("GET", "/api/v1/admin/kit/dead-letters", tokens.user("operations-admin")).statusCode()).isEqualTo(200);
        assertThat(http("GET", "/api/v1/admin/kit/dead-letters", tokens.user("reference-admin")).statusCode()).isEqualTo(403);
        assertThat(http("GET", "/api/v1/admin/kit/outbox", tokens.user("finance-admin")).statusCode()).isEqualTo(403);
        assertThat(http("GET", "/api/v1/admin/kit/audit", tokens.user("finance-admin")).statusCode()).isEqualTo(200);
        assertThat(http("GET", "/api/v1/admin/kit/audit", tokens.user("enterprise-a")).statusCode()).isEqualTo(403);
    }

    /** The test's binding takes {@code from-window…} messages only from the window's broker user, sw-declaration. */
    @Test
    void aMessageIsTakenOnlyFromTheServiceThatMaySendItAsTheBrokerVouchesForIt() throws Exception {
        long dlqBefore = deadLetters.depth(QUEUE);
        double foreignBefore = counter("sw.messages.foreign");
        // no user-id at all, and a header claiming the window: refused, dead-lettered with the reason
        Message unidentified = message(UUID.randomUUID().toString(), "{\"n\": 30}");
        unidentified.getMessageProperties().setType("from-window.v1");
        unidentified.getMessageProperties().setHeader(Headers.PUBLISHED_BY, "sw-declaration");
        rabbit.send(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, unidentified);
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.depth(QUEUE) == dlqBefore + 1);
        assertThat(deadLetters.peek(QUEUE, 20)).anySatisfy(d -> assertThat(d.reason())
                .contains("published by an unidentified user").contains("accepted only from 'sw-declaration'"));
        assertThat(effects(30)).isZero();
        assertThat(counter("sw.messages.foreign")).isEqualTo(foreignBefore + 1);

        // customs claiming to be the window: the broker itself refuses the message
        var customs = infra.connectAs("sw-customs");
        try {
            var channel = customs.createChannel();
            channel.confirmSelect();
            var forged = new com.rabbitmq.client.AMQP.BasicProperties.Builder().messageId(UUID.randomUUID().toString())
                    .type("from-window.v1").userId("sw-declaration").contentType("application/json").build();
            // RabbitMQ closes the channel (406), the embedded broker the connection (403): either way, not confirmed
            assertThatThrownBy(() -> {
                channel.basicPublish(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, forged,
                        "{\"n\": 31}".getBytes(StandardCharsets.UTF_8));
                if (!channel.waitForConfirms(10_000)) {
                    throw new IllegalStateException("nacked");
                }
            }).as("a user-id that is not the connection's user").isNotNull();
        } finally {
            customs.abort();
        }

        // the window's own user, its user-id vouched for by the broker: taken
        try (var connection = infra.connectAs("sw-declaration"); var channel = connection.createChannel()) {
            var genuine = new com.rabbitmq.client.AMQP.BasicProperties.Builder().messageId(UUID.randomUUID().toString())
                    .type("from-window.v1").userId("sw-declaration").contentType("application/json")
                    .headers(Map.of(Headers.DECLARATION_ID, UUID.randomUUID().toString())).build();
            channel.basicPublish(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, genuine,
                    "{\"n\": 32}".getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> effects(32) == 1);
        assertThat(effects(31)).isZero();

        // replayed, the refused one is republished under this service's user and still not the window's
        assertThat(deadLetters.replay(QUEUE, 100)).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> counter("sw.messages.foreign") >= foreignBefore + 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.depth(QUEUE) == dlqBefore + 1);
        assertThat(effects(30)).isZero();
    }

    private HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Message message(String messageId, String body) {
        MessageProperties props = new MessageProperties();
        props.setMessageId(messageId);
        props.setType(Topology.DECLARATION_SUBMITTED);
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setHeader(Headers.DECLARATION_ID, UUID.randomUUID().toString());
        return new Message(body.getBytes(StandardCharsets.UTF_8), props);
    }

    private long effects(int n) {
        return jdbc.sql("select count(*) from effect where n = ?").param(n).query(Long.class).single();
    }

    private double counter(String name) {
        var counter = meters.find(name).tag("queue", QUEUE).counter();
        return counter == null ? 0 : counter.count();
    }

    private double duplicates() {
        var counter = meters.find("sw.inbox.duplicates").tag("queue", QUEUE).counter();
        return counter == null ? 0 : counter.count();
    }

    private long queueDepth(String queue) {
        return rabbit.execute(channel -> (long) channel.queueDeclarePassive(queue).getMessageCount());
    }

    private HttpResponse<String> http(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

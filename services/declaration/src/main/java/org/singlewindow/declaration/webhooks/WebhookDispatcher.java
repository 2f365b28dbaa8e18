package org.singlewindow.declaration.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.singlewindow.contract.Json;
import org.singlewindow.declaration.ceb.ReceiptSigning;
import org.singlewindow.declaration.ceb.Ceb622;
import org.singlewindow.kit.GaugeReadings;
import org.singlewindow.kit.PollingWorker;
import org.singlewindow.kit.privacy.SealingKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Sends the deliveries the triggers of {@code V10__webhooks.sql} record, apart from the declaration flow.
 * Each round claims what is due — at most {@code sw.webhooks.per-subscription} in flight per subscription
 * in this instance, so a slow or dead endpoint holds only its own share — by moving each row's
 * {@code next_attempt_at} past the attempt's end (a lease: if this instance dies mid-attempt another one
 * sends it again; at least once). Each attempt is a signed POST on a virtual thread with a connect and a
 * request timeout and no redirects, to a destination checked again first ({@link Destinations}). A 2xx
 * delivers; anything else is retried on {@code sw.webhooks.retry-schedule}, then the delivery is failed.
 * Every attempt is logged with its status code and latency.
 */
class WebhookDispatcher extends PollingWorker {

    private final ReceiptSigning signing;

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int MAX_ERROR = 500;

    record Claimed(long id, String messageId, UUID subscriptionId, String url, String format, String secret, String previousSecret,
                   Timestamp previousSecretUntil, String payload, int tries) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final WebhookSettings settings;
    private final Destinations destinations;
    private final SealingKey seal;
    private final Clock clock;
    private final HttpClient http;
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<UUID, Integer> inFlight = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter retried;
    private final Counter failed;
    private final Timer latency;

    WebhookDispatcher(JdbcClient jdbc, TransactionTemplate tx, WebhookSettings settings, Destinations destinations, SealingKey seal,
                      ReceiptSigning signing, Clock clock, MeterRegistry meters) {
        super("webhook-dispatcher");
        this.signing = signing;
        this.jdbc = jdbc;
        this.tx = tx;
        this.settings = settings;
        this.destinations = destinations;
        this.seal = seal;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).executor(attempts).build();
        this.delivered = attemptCounter(meters, "delivered");
        this.retried = attemptCounter(meters, "retry");
        this.failed = attemptCounter(meters, "failed");
        this.latency = Timer.builder("sw.webhooks.latency").description("Time an endpoint took to answer a delivery attempt")
                .register(meters);
        Gauge.builder("sw.webhooks.pending", this, d -> d.count("select count(*)::float8 from webhook_delivery where state = 'PENDING'"))
                .description("Webhook deliveries not yet delivered (due now or waiting for a retry)").register(meters);
        Gauge.builder("sw.webhooks.oldest.pending.age.seconds", this, d -> d.count("""
                        select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 from webhook_delivery
                        where state = 'PENDING' and tries = 0"""))
                .description("Age of the oldest delivery never attempted yet (the dispatcher keeping up)").register(meters);
    }

    private static Counter attemptCounter(MeterRegistry meters, String outcome) {
        return Counter.builder("sw.webhooks.attempts").tag("outcome", outcome)
                .description("Webhook delivery attempts: delivered, failed and to be retried, failed for good").register(meters);
    }

    @Override
    public void stop() {
        super.stop();
        attempts.shutdown();
        try {
            // an attempt cut short is sent again after its lease: nothing is lost
            attempts.awaitTermination(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected int batchSize() {
        return settings.batchSize();
    }

    @Override
    protected Duration pollInterval() {
        return settings.pollInterval();
    }

    @Override
    protected Duration maxBackoff() {
        return Duration.ofSeconds(30);
    }

    /** One round: claim what is due within each subscription's share, start its attempts; returns how many. */
    @Override
    protected int round() {
        List<UUID> busy = new ArrayList<>(inFlight.keySet());
        List<Integer> busyCounts = busy.stream().map(s -> inFlight.getOrDefault(s, 0)).toList();
        Duration lease = settings.connectTimeout().plus(settings.requestTimeout()).plusSeconds(30);
        List<Claimed> claimed = jdbc.sql("""
                        with candidate as (
                            select id from (
                                select d.id, d.subscription_id,
                                       row_number() over (partition by d.subscription_id order by d.next_attempt_at, d.id) as n
                                from webhook_delivery d
                                where d.state = 'PENDING' and d.next_attempt_at <= now()) c
                            left join unnest(cast(? as text[])::uuid[], cast(? as int[])) as b(subscription_id, in_flight)
                                   using (subscription_id)
                            where c.n <= ? - coalesce(b.in_flight, 0)
                            order by c.id limit ?)
                        update webhook_delivery d set tries = d.tries + 1, next_attempt_at = now() + ? * interval '1 millisecond'
                        from candidate, webhook_subscription s
                        where d.id = candidate.id and s.id = d.subscription_id and s.active
                          and d.state = 'PENDING' and d.next_attempt_at <= now()
                        returning d.id, d.message_id, d.subscription_id, s.url, s.format, s.secret, s.previous_secret,
                                  s.previous_secret_until, d.payload::text as payload, d.tries""")
                .params(busy.stream().map(UUID::toString).toArray(String[]::new), busyCounts.toArray(Integer[]::new), settings.perSubscription(),
                        settings.batchSize(), lease.toMillis())
                .query(Claimed.class).list();
        for (Claimed c : claimed) {
            inFlight.merge(c.subscriptionId(), 1, Integer::sum);
            attempts.execute(() -> {
                try {
                    attempt(c);
                } catch (RuntimeException e) {
                    // the lease runs out and the delivery is tried again
                    log.warn("webhook delivery {} could not be recorded: {}", c.id(), e.toString());
                } finally {
                    inFlight.computeIfPresent(c.subscriptionId(), (s, n) -> n <= 1 ? null : n - 1);
                    wake();
                }
            });
        }
        return claimed.size();
    }

    private void attempt(Claimed c) {
        Instant now = clock.instant();
        boolean ceb = "CEB_XML".equals(c.format());
        byte[] body = ceb ? signing.sign(ceb622(c)) : c.payload().getBytes(StandardCharsets.UTF_8);
        Integer status = null;
        String error = null;
        long started = System.nanoTime();
        Optional<String> refusal = destinations.refusal(c.url());
        if (refusal.isPresent()) {
            error = "not sent: the URL " + refusal.get();
        } else {
            long timestamp = now.getEpochSecond();
            String signature = Signatures.sign(seal.open(c.secret()), c.messageId(), timestamp, body);
            if (c.previousSecret() != null && c.previousSecretUntil() != null && c.previousSecretUntil().toInstant().isAfter(now)) {
                signature += " " + Signatures.sign(seal.open(c.previousSecret()), c.messageId(), timestamp, body);
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(c.url())).timeout(settings.requestTimeout())
                    .header("Content-Type", ceb ? "application/xml" : "application/json")
                    .header("User-Agent", "SingleWindow-Webhooks/1")
                    .header("webhook-id", c.messageId())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 != 2) {
                    error = "answered " + status;
                }
            } catch (java.io.IOException e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // stopping: the lease runs out and it is sent again
            }
        }
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        latency.record(latencyMs, TimeUnit.MILLISECONDS);
        record(c, status, error == null ? null : abbreviate(error), latencyMs);
    }

    private void record(Claimed c, Integer status, String error, long latencyMs) {
        tx.executeWithoutResult(s -> recordInTransaction(c, status, error, latencyMs));
    }

    private void recordInTransaction(Claimed c, Integer status, String error, long latencyMs) {
        Timestamp at = Timestamp.from(clock.instant());
        if (error == null) {
            jdbc.sql("update webhook_delivery set state = 'DELIVERED', delivered_at = ?, last_status = ?, last_error = null where id = ?")
                    .params(at, status, c.id()).update();
            delivered.increment();
        } else if (c.tries() >= settings.maxTries()) {
            jdbc.sql("update webhook_delivery set state = 'FAILED', last_status = ?, last_error = ? where id = ?")
                    .params(status, error, c.id()).update();
            failed.increment();
            log.warn("webhook delivery {} ({}) failed for good after {} attempts: {}", c.id(), c.messageId(), c.tries(), error);
        } else {
            Duration pause = settings.retrySchedule().get(c.tries() - 1);
            // due times are the database's clock, as the claim compares them with now()
            jdbc.sql("update webhook_delivery set next_attempt_at = now() + ? * interval '1 millisecond', last_status = ?, last_error = ? where id = ?")
                    .params(pause.toMillis(), status, error, c.id()).update();
            retried.increment();
        }
        jdbc.sql("insert into webhook_attempt (delivery_id, at, status_code, latency_ms, error) values (?, ?, ?, ?, ?)")
                .params(c.id(), at, status, (int) Math.min(latencyMs, Integer.MAX_VALUE), error).update();
    }

    /** A receipt event as customs' CEB622 message with one return; the message's guid derives from the webhook-id (the same on every attempt). */
    private static byte[] ceb622(Claimed c) {
        JsonNode data = Json.mapper().readTree(c.payload()).get("data");
        JsonNode r = data.get("receipt");
        var inventory = new Ceb622.Inventory(data.path("guid").asString(""), data.path("customsCode").asString(""),
                data.path("ebpCode").asString(""), data.path("ebcCode").asString(""), data.path("agentCode").asString(""),
                data.path("orderNo").asString(""), data.path("declarationId").asString(""), "");
        var receipt = new Ceb622.Return(r.path("agency").asString(), r.path("statusCode").asInt(), r.path("reasonCode").asString(),
                r.path("message").asString(), OffsetDateTime.parse(r.path("decidedAt").asString()));
        return Ceb622.render(UUID.nameUUIDFromBytes(c.messageId().getBytes(StandardCharsets.UTF_8)), inventory, List.of(receipt));
    }

    private double count(String sql) {
        return GaugeReadings.orNaN(() -> jdbc.sql(sql).query(Double.class).single());
    }

    private static String abbreviate(String s) {
        return s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR) + "…";
    }
}

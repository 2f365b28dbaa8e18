package org.singlewindow.declaration.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.singlewindow.contract.Json;
import org.singlewindow.declaration.ceb.PartyReceiptPush;
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

import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
 * request timeout and no redirects (Apache HttpClient 5), whose name resolver is the destination check
 * ({@link Destinations#resolve}): the connection is made to an address checked in that same resolution. A 2xx
 * delivers; anything else is retried on {@code sw.webhooks.retry-schedule}, then the delivery is failed.
 * Every attempt is logged with the receiver's status code and latency; a failure to reach it is logged as one
 * uniform "could not connect", so that the delivery log tells nothing about the receiver's network (which port
 * refused, which timed out) — it is no port scanner.
 */
class WebhookDispatcher extends PollingWorker {

    private final ReceiptSigning signing;

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int MAX_ERROR = 500;

    record Claimed(long id, String messageId, UUID subscriptionId, String url, String format, String secret, String previousSecret,
                   Timestamp previousSecretUntil, String payload, int tries, String eventType) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final WebhookSettings settings;
    private final Destinations destinations;
    private final SealingKey seal;
    private final Clock clock;
    private final CloseableHttpClient http;
    private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<UUID, Integer> inFlight = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter retried;
    private final Counter failed;
    private final Timer latency;

    WebhookDispatcher(JdbcClient jdbc, TransactionTemplate tx, WebhookSettings settings, Destinations destinations, SealingKey seal,
                      ReceiptSigning signing, Clock clock, MeterRegistry meters) {
        super("webhook-dispatcher", new Pacing(settings.batchSize(), settings.pollInterval(), Duration.ofSeconds(30)));
        this.signing = signing;
        this.jdbc = jdbc;
        this.tx = tx;
        this.settings = settings;
        this.destinations = destinations;
        this.seal = seal;
        this.clock = clock;
        this.http = client(settings, destinations);
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

    /**
     * The deliveries' HTTP client: connect and socket timeouts, no redirects, no retries, no cookies, and the
     * destination check as its name resolver, so that a connection is made only to an address checked in that
     * same resolution while TLS and the {@code Host} header still see the URL's host name.
     */
    static CloseableHttpClient client(WebhookSettings settings, Destinations destinations) {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new SystemDefaultDnsResolver() {
                            @Override
                            public InetAddress[] resolve(String host) throws UnknownHostException {
                                return destinations.resolve(host);
                            }
                        })
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                                .setSocketTimeout(Timeout.of(settings.requestTimeout())).build())
                        .setMaxConnTotal(200).setMaxConnPerRoute(Math.max(2, settings.perSubscription()))
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(settings.requestTimeout()))
                        .setRedirectsEnabled(false).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .setUserAgent("SingleWindow-Webhooks/1")
                .build();
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
        try {
            http.close();
        } catch (IOException e) {
            log.debug("closing the webhooks' connections: {}", e.toString());
        }
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
                                  s.previous_secret_until, d.payload::text as payload, d.tries, d.event_type""")
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
        // CEB_XML: a document's own receipt (CEB312/412/512), or the list's status (CEB622)
        byte[] body = !ceb ? c.payload().getBytes(StandardCharsets.UTF_8)
                : signing.sign(PartyReceiptPush.EVENT.equals(c.eventType())
                ? PartyReceiptPush.receipt(c.payload(), UUID.nameUUIDFromBytes(c.messageId().getBytes(StandardCharsets.UTF_8)))
                : ceb622(c));
        Integer status = null;
        String error = null;
        long started = System.nanoTime();
        Optional<String> malformed = destinations.malformed(c.url());
        if (malformed.isPresent()) {
            error = "not sent: the URL " + malformed.get();
        } else {
            long timestamp = now.getEpochSecond();
            String signature = Signatures.sign(seal.open(c.secret()), c.messageId(), timestamp, body);
            if (c.previousSecret() != null && c.previousSecretUntil() != null && c.previousSecretUntil().toInstant().isAfter(now)) {
                signature += " " + Signatures.sign(seal.open(c.previousSecret()), c.messageId(), timestamp, body);
            }
            HttpPost request = new HttpPost(c.url());
            request.setHeader("webhook-id", c.messageId());
            request.setHeader("webhook-timestamp", Long.toString(timestamp));
            request.setHeader("webhook-signature", signature);
            request.setEntity(new ByteArrayEntity(body, ceb ? ContentType.APPLICATION_XML : ContentType.APPLICATION_JSON));
            try {
                status = http.execute(request, response -> response.getCode());
                if (status / 100 != 2) {
                    error = "answered " + status;
                }
            } catch (Destinations.RefusedDestination e) {
                error = "not sent: the URL's host " + e.getMessage();
            } catch (UnknownHostException e) {
                error = "not sent: the URL's host does not resolve";
            } catch (IOException e) {
                // refused, reset, timed out, TLS failed: all the same here (the log is no port scanner)
                error = "could not connect to the receiver";
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

    /**
     * A change of the list's status as customs' CEB622 message, its returns as the trigger recorded them
     * (V13: 120, 300/500 and 899 from a receipt, 399 + 800 or 100 from the outcome); the message's guid derives
     * from the webhook-id (the same on every attempt). A delivery queued before V13 holds one receipt instead.
     */
    private static byte[] ceb622(Claimed c) {
        JsonNode data = Json.mapper().readTree(c.payload()).get("data");
        UUID guid = UUID.nameUUIDFromBytes(c.messageId().getBytes(StandardCharsets.UTF_8));
        List<Ceb622.Return> returns = new java.util.ArrayList<>();
        if (data.has("returns")) {
            for (JsonNode r : data.get("returns")) {
                OffsetDateTime at = OffsetDateTime.parse(r.path("at").asString());
                if (r.has("rejections")) {
                    String reasons = r.get("rejections").valueStream().map(x -> "[" + x.path("agency").asString() + " "
                            + x.path("reasonCode").asString() + "] " + x.path("message").asString())
                            .collect(java.util.stream.Collectors.joining("; "));
                    returns.add(new Ceb622.Return(100, at, Ceb622.Return.of(100, at, null, null, null).info()
                            + (reasons.isEmpty() ? "" : " " + reasons)));
                } else {
                    returns.add(Ceb622.Return.of(r.path("statusCode").asInt(), at, r.has("agency") ? r.path("agency").asString() : null,
                            r.path("reasonCode").asString(""), r.path("message").asString("")));
                }
            }
        } else {
            JsonNode r = data.get("receipt");
            returns.add(Ceb622.Return.of(r.path("statusCode").asInt(), OffsetDateTime.parse(r.path("decidedAt").asString()),
                    r.path("agency").asString(), r.path("reasonCode").asString(), r.path("message").asString()));
        }
        var inventory = new Ceb622.Inventory(data.path("guid").asString(""), data.path("customsCode").asString(""),
                data.path("ebpCode").asString(""), data.path("ebcCode").asString(""), data.path("agentCode").asString(""),
                data.path("copNo").asString(data.path("orderNo").asString("")), data.path("preNo").asString(""),
                data.path("invtNo").asString(""));
        return Ceb622.render(guid, inventory, returns);
    }

    private double count(String sql) {
        return GaugeReadings.orNaN(() -> jdbc.sql(sql).query(Double.class).single());
    }

    private static String abbreviate(String s) {
        return s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR) + "…";
    }
}

package org.singlewindow.declaration.webhooks;

import org.singlewindow.contract.Violation;
import org.singlewindow.kit.privacy.SealingKey;
import org.singlewindow.kit.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An enterprise's webhook subscriptions, its deliveries' log and their replay. Every read and change is
 * within the caller's enterprise: another enterprise's subscription is answered as not found.
 */
@Component
class Subscriptions {

    /**
     * What a subscription may ask for: receipts (acknowledgements and decisions), status changes, the follow-ups, and
     * ({@code document}) the receipt of each CEB document the enterprise sent itself, when it is filed or found at fault.
     */
    static final Set<String> EVENTS = Set.of("receipt", "status", "settlement", "withdrawal", "return", "movement", "document");
    /**
     * JSON (the contract's words), or CEB_XML: each change of the list's status as customs' {@code ceb:CEB622Message},
     * and with {@code document} each own document's receipt as CEB312, CEB412, CEB512 (or CEB622 for a list returned).
     */
    static final Set<String> FORMATS = Set.of("JSON", "CEB_XML");
    static final int MAX_PER_ENTERPRISE = 20;
    private static final Duration MAX_OVERLAP = Duration.ofDays(7);

    record Request(String url, List<String> events, String format) {
    }

    /** A subscription as its owner sees it; the secret only when it is made or rotated. */
    record View(UUID id, String url, List<String> events, String format, boolean active, OffsetDateTime createdAt,
                String createdBy, OffsetDateTime previousSecretValidUntil, String secret) {
        View withSecret(String secret) {
            return new View(id, url, events, format, active, createdAt, createdBy, previousSecretValidUntil, secret);
        }
    }

    record Created(View subscription, boolean replayed) {
    }

    record Delivery(long id, String webhookId, UUID declarationId, String eventType, String state, int tries,
                    OffsetDateTime createdAt, OffsetDateTime nextAttemptAt, OffsetDateTime deliveredAt, Integer lastStatus,
                    String lastError) {
    }

    record Attempt(OffsetDateTime at, Integer statusCode, int latencyMs, String error) {
    }

    /** A delivery, every attempt at it, and the event as recorded (the JSON body; a CEB_XML subscription gets it as CEB622). */
    record DeliveryDetail(Delivery delivery, List<Attempt> attempts, @com.fasterxml.jackson.annotation.JsonRawValue String payload) {
    }

    private final JdbcClient jdbc;
    private final Destinations destinations;
    private final Clock clock;
    private final WebhookDispatcher dispatcher;
    private final SealingKey seal;
    private final boolean rotating;

    Subscriptions(JdbcClient jdbc, Destinations destinations, Clock clock, WebhookDispatcher dispatcher, SealingKey webhookSecretSeal,
                  WebhookSettings settings) {
        this.seal = webhookSecretSeal;
        this.rotating = settings.secretKeyPrevious() != null && !settings.secretKeyPrevious().isBlank();
        this.jdbc = jdbc;
        this.destinations = destinations;
        this.clock = clock;
        this.dispatcher = dispatcher;
    }

    @Transactional
    Created create(String enterpriseId, String user, Request request, String idempotencyKey) {
        List<Violation> violations = new ArrayList<>();
        String url = request == null || request.url() == null ? "" : request.url().strip();
        if (url.isEmpty()) {
            violations.add(new Violation("/url", "required", "the endpoint's URL is required"));
        } else if (url.length() > 2_000) {
            violations.add(new Violation("/url", "maxLength", "at most 2000 characters"));
        } else {
            destinations.refusal(url).ifPresent(why -> violations.add(new Violation("/url", "destination", "the URL " + why)));
        }
        Set<String> events = new LinkedHashSet<>();
        if (request == null || request.events() == null || request.events().isEmpty()) {
            violations.add(new Violation("/events", "required", "name at least one of " + sorted(EVENTS)));
        } else {
            for (int i = 0; i < request.events().size(); i++) {
                String event = request.events().get(i);
                if (event == null || !EVENTS.contains(event)) {
                    violations.add(new Violation("/events/" + i, "enum", "'" + event + "' is not one of " + sorted(EVENTS)));
                } else {
                    events.add(event);
                }
            }
        }
        String format = request == null || request.format() == null ? "JSON" : request.format();
        if (!FORMATS.contains(format)) {
            violations.add(new Violation("/format", "enum", "'" + format + "' is not a delivery format here: one of " + sorted(FORMATS)));
        } else if (format.equals("CEB_XML") && !events.equals(Set.of("status")) && !events.equals(Set.of("status", "document"))) {
            violations.add(new Violation("/events", "format", "CEB_XML carries [\"status\"] (CEB622) or [\"status\", \"document\"] "
                    + "(and CEB312/412/512); receipts, settlements, withdrawals, returns and movements have no CEB622 status: "
                    + "subscribe to them in JSON"));
        }
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        // one at a time per enterprise: the count and the idempotency key are checked under its lock
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('webhook-subscriptions:' || ?, 0))").param(enterpriseId).query().singleRow();
        if (idempotencyKey != null) {
            Optional<View> earlier = jdbc.sql(SELECT + " where enterprise_id = ? and idempotency_key = ?")
                    .params(enterpriseId, idempotencyKey).query(Subscriptions::view).optional();
            if (earlier.isPresent()) {
                View e = earlier.get();
                if (!e.url().equals(url) || !Set.copyOf(e.events()).equals(events) || !e.format().equals(format)) {
                    throw ApiException.conflict("Idempotency-Key " + idempotencyKey + " was used for a different subscription");
                }
                return new Created(e, true);
            }
        }
        long count = jdbc.sql("select count(*) from webhook_subscription where enterprise_id = ? and active")
                .param(enterpriseId).query(Long.class).single();
        if (count >= MAX_PER_ENTERPRISE) {
            throw ApiException.conflict("an enterprise may have at most " + MAX_PER_ENTERPRISE + " active subscriptions");
        }
        UUID id = UUID.randomUUID();
        String secret = Signatures.newSecret();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                        insert into webhook_subscription (id, enterprise_id, url, events, format, secret, idempotency_key,
                            created_by, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, enterpriseId, url, events.toArray(String[]::new), format, seal.seal(secret), idempotencyKey, user, now, now)
                .update();
        return new Created(get(enterpriseId, id).withSecret(secret), false);
    }

    List<View> list(String enterpriseId) {
        return jdbc.sql(SELECT + " where enterprise_id = ? order by created_at desc").param(enterpriseId)
                .query(Subscriptions::view).list();
    }

    View get(String enterpriseId, UUID id) {
        return jdbc.sql(SELECT + " where enterprise_id = ? and id = ?").params(enterpriseId, id)
                .query(Subscriptions::view).optional().orElseThrow(() -> ApiException.notFound("subscription " + id));
    }

    /** Stops it: nothing more is recorded for it, and what it was still owed is marked failed. */
    @Transactional
    void delete(String enterpriseId, UUID id) {
        if (jdbc.sql("update webhook_subscription set active = false, updated_at = ? where enterprise_id = ? and id = ? and active")
                .params(Timestamp.from(clock.instant()), enterpriseId, id).update() == 0) {
            throw ApiException.notFound("subscription " + id);
        }
        jdbc.sql("update webhook_delivery set state = 'FAILED', last_error = 'subscription deleted' where subscription_id = ? and state = 'PENDING'")
                .param(id).update();
    }

    /** A new secret; the previous one goes on signing beside it for {@code overlap} (receivers switch in that time). */
    @Transactional
    View rotateSecret(String enterpriseId, UUID id, Duration overlap) {
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw ApiException.invalid("/overlap", "range", "between PT0S and " + MAX_OVERLAP);
        }
        String secret = Signatures.newSecret();
        Timestamp now = Timestamp.from(clock.instant());
        if (jdbc.sql("""
                        update webhook_subscription set previous_secret = secret, previous_secret_until = ?, secret = ?, updated_at = ?
                        where enterprise_id = ? and id = ? and active""")
                .params(Timestamp.from(clock.instant().plus(overlap)), seal.seal(secret), now, enterpriseId, id).update() == 0) {
            throw ApiException.notFound("subscription " + id);
        }
        return get(enterpriseId, id).withSecret(secret);
    }

    List<Delivery> deliveries(String enterpriseId, UUID id, String state, int limit) {
        get(enterpriseId, id);
        return jdbc.sql(DELIVERY + " where subscription_id = ? and (cast(? as text) is null or state = ?) order by created_at desc, id desc limit ?")
                .params(id, state, state, limit).query(Subscriptions::delivery).list();
    }

    DeliveryDetail delivery(String enterpriseId, UUID id, long deliveryId) {
        get(enterpriseId, id);
        Delivery delivery = jdbc.sql(DELIVERY + " where subscription_id = ? and id = ?").params(id, deliveryId)
                .query(Subscriptions::delivery).optional().orElseThrow(() -> ApiException.notFound("delivery " + deliveryId));
        List<Attempt> attempts = jdbc.sql("select at, status_code, latency_ms, error from webhook_attempt where delivery_id = ? order by id")
                .param(deliveryId).query((rs, n) -> new Attempt(rs.getObject("at", OffsetDateTime.class),
                        (Integer) rs.getObject("status_code"), rs.getInt("latency_ms"), rs.getString("error"))).list();
        String payload = jdbc.sql("select payload::text from webhook_delivery where id = ?").param(deliveryId).query(String.class).single();
        return new DeliveryDetail(delivery, attempts, payload);
    }

    /** Sends one delivery again (same webhook-id, a fresh retry schedule), whatever its state. */
    @Transactional
    void replay(String enterpriseId, UUID id, long deliveryId) {
        activeOrConflict(enterpriseId, id);
        if (jdbc.sql(REQUEUE + " where subscription_id = ? and id = ?").params(id, deliveryId).update() == 0) {
            throw ApiException.notFound("delivery " + deliveryId);
        }
        dispatcher.wake();
    }

    /** Sends again everything recorded for the subscription since a time; returns how many. */
    @Transactional
    int replaySince(String enterpriseId, UUID id, OffsetDateTime since) {
        activeOrConflict(enterpriseId, id);
        int requeued = jdbc.sql(REQUEUE + " where subscription_id = ? and created_at >= ?")
                .params(id, Timestamp.from(since.toInstant())).update();
        dispatcher.wake();
        return requeued;
    }

    /**
     * During a rotation of {@code sw.webhooks.secret-key} (the previous key configured): every secret sealed anew
     * under the key in force, once at start, so that the previous key can then be removed.
     */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void resealUnderTheKeyInForce() {
        if (!rotating) {
            return;
        }
        record Sealed(UUID id, String secret, String previousSecret) {
        }
        List<Sealed> all = jdbc.sql("select id, secret, previous_secret from webhook_subscription").query(Sealed.class).list();
        for (Sealed s : all) {
            jdbc.sql("update webhook_subscription set secret = ?, previous_secret = ? where id = ? and secret = ?")
                    .params(seal.seal(seal.open(s.secret())), s.previousSecret() == null ? null : seal.seal(seal.open(s.previousSecret())),
                            s.id(), s.secret())
                    .update();
        }
    }

    private void activeOrConflict(String enterpriseId, UUID id) {
        if (!get(enterpriseId, id).active()) {
            throw ApiException.conflict("subscription " + id + " was deleted: nothing is delivered to it");
        }
    }

    private static final String SELECT = """
            select id, url, events, format, active, created_at, created_by, previous_secret_until from webhook_subscription""";
    private static final String DELIVERY = """
            select id, message_id, declaration_id, event_type, state, tries, created_at, next_attempt_at, delivered_at,
                   last_status, last_error from webhook_delivery""";
    private static final String REQUEUE = """
            update webhook_delivery set state = 'PENDING', tries = 0, next_attempt_at = now(), delivered_at = null""";

    private static View view(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        OffsetDateTime previousUntil = rs.getObject("previous_secret_until", OffsetDateTime.class);
        return new View(rs.getObject("id", UUID.class), rs.getString("url"), List.of((String[]) rs.getArray("events").getArray()),
                rs.getString("format"), rs.getBoolean("active"), utc(rs.getObject("created_at", OffsetDateTime.class)),
                rs.getString("created_by"), previousUntil == null ? null : utc(previousUntil), null);
    }

    private static Delivery delivery(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Delivery(rs.getLong("id"), rs.getString("message_id"), rs.getObject("declaration_id", UUID.class),
                rs.getString("event_type"), rs.getString("state"), rs.getInt("tries"), utc(rs.getObject("created_at", OffsetDateTime.class)),
                "PENDING".equals(rs.getString("state")) ? utc(rs.getObject("next_attempt_at", OffsetDateTime.class)) : null,
                utc(rs.getObject("delivered_at", OffsetDateTime.class)), (Integer) rs.getObject("last_status"), rs.getString("last_error"));
    }

    private static OffsetDateTime utc(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}

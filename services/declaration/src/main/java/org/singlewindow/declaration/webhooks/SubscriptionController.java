package org.singlewindow.declaration.webhooks;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.kit.security.Tenant;
import org.singlewindow.kit.web.ApiException;
import org.singlewindow.kit.web.IdempotencyKeys;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Webhook subscriptions of the caller's enterprise ({@code enterprise_id}): made with a URL, the events
 * wanted and a format; the signing secret is shown once (and again only as a new one, by rotation); the
 * delivery log and replays.
 */
@Tag(name = "Webhooks", description = "Receipts pushed: subscriptions, their delivery log and replay.")
@RestController
@RequestMapping(path = "/api/v1/subscriptions", produces = MediaType.APPLICATION_JSON_VALUE)
class SubscriptionController {

    private static final Set<String> STATES = Set.of("PENDING", "DELIVERED", "FAILED");

    private final Subscriptions subscriptions;

    SubscriptionController(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Subscriptions.View> create(@AuthenticationPrincipal Jwt token, @RequestBody Subscriptions.Request body,
                                              @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        IdempotencyKeys.optional(idempotencyKey);
        Subscriptions.Created created = subscriptions.create(Tenant.enterpriseId(token), token.getClaimAsString("preferred_username"),
                body, idempotencyKey);
        URI location = URI.create("/api/v1/subscriptions/" + created.subscription().id());
        // a replay with the same Idempotency-Key answers the subscription made the first time, without its secret
        return created.replayed() ? ResponseEntity.ok().location(location).body(created.subscription())
                : ResponseEntity.created(location).body(created.subscription());
    }

    @GetMapping
    List<Subscriptions.View> list(@AuthenticationPrincipal Jwt token) {
        return subscriptions.list(Tenant.enterpriseId(token));
    }

    @GetMapping("/{id}")
    Subscriptions.View get(@AuthenticationPrincipal Jwt token, @PathVariable UUID id) {
        return subscriptions.get(Tenant.enterpriseId(token), id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Jwt token, @PathVariable UUID id) {
        subscriptions.delete(Tenant.enterpriseId(token), id);
        return ResponseEntity.noContent().build();
    }

    /** Body of a rotation: how long the previous secret goes on signing beside the new one (ISO 8601, default PT24H). */
    record Rotation(String overlap) {
    }

    @PostMapping("/{id}/secret-rotation")
    Subscriptions.View rotate(@AuthenticationPrincipal Jwt token, @PathVariable UUID id, @RequestBody(required = false) Rotation body) {
        Duration overlap = Duration.ofHours(24);
        if (body != null && body.overlap() != null) {
            try {
                overlap = Duration.parse(body.overlap());
            } catch (DateTimeParseException e) {
                throw ApiException.invalid("/overlap", "format", "an ISO 8601 duration such as PT24H");
            }
        }
        return subscriptions.rotateSecret(Tenant.enterpriseId(token), id, overlap);
    }

    @GetMapping("/{id}/deliveries")
    List<Subscriptions.Delivery> deliveries(@AuthenticationPrincipal Jwt token, @PathVariable UUID id,
                                            @RequestParam(required = false) String state,
                                            @RequestParam(defaultValue = "50") int limit) {
        if (state != null && !STATES.contains(state)) {
            throw ApiException.invalid("state", "enum", "one of " + STATES.stream().sorted().toList());
        }
        if (limit < 1 || limit > 500) {
            throw ApiException.invalid("limit", "range", "between 1 and 500");
        }
        return subscriptions.deliveries(Tenant.enterpriseId(token), id, state, limit);
    }

    @GetMapping("/{id}/deliveries/{deliveryId}")
    Subscriptions.DeliveryDetail delivery(@AuthenticationPrincipal Jwt token, @PathVariable UUID id, @PathVariable long deliveryId) {
        return subscriptions.delivery(Tenant.enterpriseId(token), id, deliveryId);
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/replay")
    ResponseEntity<Map<String, Integer>> replay(@AuthenticationPrincipal Jwt token, @PathVariable UUID id, @PathVariable long deliveryId) {
        subscriptions.replay(Tenant.enterpriseId(token), id, deliveryId);
        return ResponseEntity.accepted().body(Map.of("requeued", 1));
    }

    /** Body of a replay of everything since a time. */
    record ReplaySince(String since) {
    }

    @PostMapping(path = "/{id}/replay", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Integer>> replaySince(@AuthenticationPrincipal Jwt token, @PathVariable UUID id,
                                                     @RequestBody ReplaySince body) {
        if (body == null || body.since() == null) {
            throw ApiException.invalid("/since", "required", "the time to replay from (ISO 8601 with offset)");
        }
        OffsetDateTime since;
        try {
            since = OffsetDateTime.parse(body.since());
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("/since", "format", "an ISO 8601 date-time with offset, such as 2026-12-01T08:00:00Z");
        }
        return ResponseEntity.accepted().body(Map.of("requeued", subscriptions.replaySince(Tenant.enterpriseId(token), id, since)));
    }
}

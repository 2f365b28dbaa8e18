package org.singlewindow.declaration.intake;

import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.ContractValidator;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationCancelled;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Topology;
import org.singlewindow.contract.Violation;
import org.singlewindow.declaration.status.DeclarationStatus;
import org.singlewindow.declaration.status.FollowUps;
import org.singlewindow.kit.messaging.Logging;
import org.slf4j.MDC;
import org.singlewindow.kit.messaging.Outbox;
import org.singlewindow.kit.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Takes a declaration once: validates it against the message standard, stores it, and writes
 * {@code declaration.submitted.v1} to the outbox in the same transaction. A repeated submission
 * (same {@code Idempotency-Key}, or the same platform order for a NEW declaration) returns the
 * declaration already stored and publishes nothing.
 */
@Service
public class Submissions {

    /** Result of a submission: the declaration's id and whether it already existed. */
    public record Submitted(UUID id, DeclarationStatus status, OffsetDateTime submittedAt, boolean replayed) {
    }

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final ContractValidator validator;
    private final MeterRegistry meters;

    public Submissions(JdbcClient jdbc, Outbox outbox, ContractValidator validator, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.validator = validator;
        this.meters = meters;
    }

    /** Parse and validate a request body; every broken rule is reported at once. */
    public Declaration parse(byte[] body) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw ApiException.invalid("", "json", "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw ApiException.invalid("", "type", "the body must be a JSON object");
        }
        List<Violation> violations = validator.validateDeclaration(tree);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        Declaration declaration = Json.mapper().treeToValue(tree, Declaration.class);
        if (declaration.appType() != Declaration.AppType.NEW) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unsupported appType",
                    "v1 accepts appType NEW; to withdraw a declaration use POST /api/v1/declarations/{id}/cancellation",
                    List.of(new Violation("/appType", "supported", "only NEW is accepted in v1")));
        }
        return declaration;
    }

    @Transactional
    public Submitted submit(Declaration declaration, String enterpriseId, String idempotencyKey) {
        String hash = hash(declaration);
        UUID id = UUID.randomUUID();
        MDC.put(Logging.DECLARATION_ID, id.toString());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

        if (idempotencyKey != null) {
            int claimed = jdbc.sql("""
                            insert into idempotency_key (enterprise_id, key, request_hash, declaration_id)
                            values (?, ?, ?, ?) on conflict do nothing""")
                    .params(enterpriseId, idempotencyKey, hash, id).update();
            if (claimed == 0) {
                var existing = jdbc.sql("select request_hash, declaration_id from idempotency_key where enterprise_id = ? and key = ?")
                        .params(enterpriseId, idempotencyKey)
                        .query((rs, n) -> Map.entry(rs.getString(1), rs.getObject(2, UUID.class))).single();
                if (!existing.getKey().equals(hash)) {
                    throw ApiException.conflict("Idempotency-Key '" + idempotencyKey
                            + "' was already used with a different body");
                }
                return replay(existing.getValue());
            }
        }

        int inserted = jdbc.sql("""
                        insert into declaration (id, guid, enterprise_id, ebp_code, order_no, app_type, declaration_type,
                            status, body, request_hash, submitted_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                        on conflict (ebp_code, order_no) where app_type = 'NEW' do nothing""")
                .params(id, declaration.guid(), enterpriseId, declaration.order().ebpCode(), declaration.order().orderNo(),
                        declaration.appType().name(), declaration.declarationType().name(),
                        DeclarationStatus.RECEIVED.name(), Json.mapper().writeValueAsString(declaration), hash, now, now)
                .update();
        if (inserted == 0) {
            var owner = jdbc.sql("select id, enterprise_id from declaration where ebp_code = ? and order_no = ? and app_type = 'NEW'")
                    .params(declaration.order().ebpCode(), declaration.order().orderNo())
                    .query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2))).single();
            if (!owner.getValue().equals(enterpriseId)) {
                // another enterprise's declaration: refuse without revealing its id or content
                throw ApiException.conflict("order " + declaration.order().orderNo() + " of platform "
                        + declaration.order().ebpCode() + " is already declared");
            }
            UUID existing = owner.getKey();
            if (idempotencyKey != null) {
                jdbc.sql("update idempotency_key set declaration_id = ? where enterprise_id = ? and key = ?")
                        .params(existing, enterpriseId, idempotencyKey).update();
            }
            return replay(existing);
        }
        jdbc.sql("insert into declaration_event (declaration_id, at, kind, detail) values (?, ?, 'SUBMITTED', ?)")
                .params(id, now, "declaration received and fanned out to every agency").update();
        outbox.add(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_SUBMITTED, id,
                new DeclarationSubmitted(id, enterpriseId, now, declaration));
        meters.counter("sw.declarations.submitted", "type", declaration.declarationType().name(),
                "platform", declaration.order().ebpCode()).increment();
        TradeFigures.count(meters, declaration);
        return new Submitted(id, DeclarationStatus.RECEIVED, now, false);
    }

    private Submitted replay(UUID id) {
        return jdbc.sql("select id, status, submitted_at from declaration where id = ?").param(id)
                .query((rs, n) -> new Submitted(rs.getObject(1, UUID.class), DeclarationStatus.valueOf(rs.getString(2)),
                        rs.getObject(3, OffsetDateTime.class), true))
                .single();
    }

    /**
     * Cancel a declaration that is not final yet and tell every agency. Cancelling a cancelled
     * declaration changes nothing; a cleared or rejected one cannot be cancelled.
     */
    @Transactional
    public DeclarationStatus cancel(UUID id, String enterpriseId, String reason) {
        MDC.put(Logging.DECLARATION_ID, id.toString());
        Optional<DeclarationStatus> current = jdbc.sql("select status from declaration where id = ? and enterprise_id = ? for update")
                .params(id, enterpriseId)
                .query((rs, n) -> DeclarationStatus.valueOf(rs.getString(1))).optional();
        DeclarationStatus status = current.orElseThrow(() -> ApiException.notFound("declaration " + id));
        if (status == DeclarationStatus.CANCELLED) {
            return status;
        }
        if (status.isFinal()) {
            throw ApiException.conflict("declaration " + id + " is already " + status + " and can no longer be cancelled");
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.sql("update declaration set status = ?, updated_at = ?, final_at = ? where id = ?")
                .params(DeclarationStatus.CANCELLED.name(), now, now, id).update();
        jdbc.sql("insert into declaration_event (declaration_id, at, kind, detail) values (?, ?, 'CANCELLED', ?)")
                .params(id, now, "cancelled by the enterprise" + (reason == null ? "" : ": " + reason)).update();
        outbox.add(Topology.DECLARATIONS_EXCHANGE, Topology.DECLARATION_CANCELLED, id,
                new DeclarationCancelled(id, reason, now));
        FollowUps.requested(jdbc, id, DeclarationStatus.CANCELLED.name(), now);
        meters.counter("sw.declarations.final", "status", DeclarationStatus.CANCELLED.name()).increment();
        return DeclarationStatus.CANCELLED;
    }

    /** SHA-256 of the declaration's canonical JSON (keys sorted), to tell a replay from a different body. */
    static String hash(Declaration declaration) {
        JsonNode tree = Json.mapper().valueToTree(declaration);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.mapper().writeValueAsString(canonical(tree)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object canonical(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Map<String, Object> sorted = new TreeMap<>();
            object.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            return sorted;
        }
        if (node.isArray()) {
            return node.valueStream().map(Submissions::canonical).toList();
        }
        if (node.isNumber()) {
            return node.decimalValue().stripTrailingZeros().toPlainString();
        }
        return node.isNull() ? null : node.asString();
    }
}

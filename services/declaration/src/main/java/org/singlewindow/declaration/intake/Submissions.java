package org.singlewindow.declaration.intake;

import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.ContractValidator;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Violation;
import org.singlewindow.declaration.lifecycle.AmendmentSaga;
import org.singlewindow.declaration.lifecycle.DeclarationRecords;
import org.singlewindow.declaration.lifecycle.DeclarationStatus;
import org.singlewindow.kit.messaging.Logging;
import org.slf4j.MDC;
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
 * {@code declaration.submitted.v1} to the outbox in the same transaction ({@link DeclarationRecords}). A repeated submission
 * (same {@code Idempotency-Key}, or the same platform order of the same seller for a NEW declaration) returns the
 * declaration already stored and publishes nothing.
 */
@Service
public class Submissions {

    /** Result of a submission: the declaration's id and whether it already existed. */
    public record Submitted(UUID id, DeclarationStatus status, OffsetDateTime submittedAt, boolean replayed) {
    }

    private final JdbcClient jdbc;
    private final DeclarationRecords records;
    private final PartyConfirmations confirmations;
    private final ContractValidator validator;
    private final MeterRegistry meters;

    public Submissions(JdbcClient jdbc, DeclarationRecords records, ContractValidator validator, MeterRegistry meters,
                       PartyConfirmations confirmations) {
        this.jdbc = jdbc;
        this.records = records;
        this.validator = validator;
        this.meters = meters;
        this.confirmations = confirmations;
    }

    /** Parse and validate a request body; every broken rule is reported at once. */
    public Declaration parse(byte[] body) {
        return parse(body, Declaration.AppType.NEW);
    }

    /** Parse and validate a body that must be of this appType (NEW to submit, CHANGE to amend). */
    public Declaration parse(byte[] body, Declaration.AppType expected) {
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
        if (declaration.appType() != expected) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unsupported appType",
                    "a declaration is submitted with appType NEW (POST /api/v1/declarations) and amended with CHANGE "
                            + "(PUT /api/v1/declarations/{id}); it is cancelled with POST …/{id}/cancellation, not DELETE",
                    List.of(new Violation("/appType", "supported", "must be " + expected + " here")));
        }
        String assure = declaration.declarant().assureCode();
        if (assure != null && !assure.equals(declaration.order().ebpCode()) && !assure.equals(declaration.order().ebcCode())
                && !assure.equals(declaration.logistics().logisticsCode())) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Withholding agent not a party of the list",
                    "the withholding agent guarantees and pays the consumer's tax: it is the list's platform, e-commerce "
                            + "enterprise or logistics firm",
                    List.of(new Violation("/declarant/assureCode", "party",
                            "must be order.ebpCode, order.ebcCode or logistics.logisticsCode")));
        }
        return declaration;
    }

    /**
     * File a declaration: kept and fanned out to every agency; or, where each party transmits its own and the filer
     * is not the payment or logistics firm itself, kept {@link DeclarationStatus#AWAITING_PARTIES} until they
     * confirm ({@link PartyConfirmations}).
     */
    @Transactional
    public Submitted submit(Declaration declaration, String enterpriseId, String idempotencyKey) {
        return submit(declaration, enterpriseId, idempotencyKey, confirmations.awaited(declaration, enterpriseId));
    }

    /** File a declaration whose parties have each sent their own documents (the CEB channel checks that). */
    @Transactional
    public Submitted submitConfirmed(Declaration declaration, String enterpriseId, String idempotencyKey) {
        return submit(declaration, enterpriseId, idempotencyKey, List.of());
    }

    private Submitted submit(Declaration declaration, String enterpriseId, String idempotencyKey,
                             List<PartyConfirmations.Role> awaited) {
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

        String[] awaiting = awaited.isEmpty() ? null : awaited.stream().map(Enum::name).toArray(String[]::new);
        boolean inserted = records.file(id, declaration, enterpriseId, hash, now, awaiting, awaiting == null ? null
                : "declaration received; in a bonded import each party transmits its own (GACC 2018 No.194 item 8): it goes to "
                + "the agencies once " + String.join(" and ", PartyConfirmations.describe(awaiting)) + " has come");
        if (!inserted) {
            var owner = jdbc.sql("""
                            select id, enterprise_id from declaration
                            where ebp_code = ? and ebc_code = ? and order_no = ? and app_type = 'NEW'""")
                    .params(declaration.order().ebpCode(), declaration.order().ebcCode(), declaration.order().orderNo())
                    .query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2))).single();
            if (!owner.getValue().equals(enterpriseId)) {
                // another declaring agent of the same seller filed it: refuse without revealing its id or content
                throw ApiException.conflict("order " + declaration.order().orderNo() + " of platform "
                        + declaration.order().ebpCode() + " for seller " + declaration.order().ebcCode() + " is already declared");
            }
            UUID existing = owner.getKey();
            if (idempotencyKey != null) {
                jdbc.sql("update idempotency_key set declaration_id = ? where enterprise_id = ? and key = ?")
                        .params(existing, enterpriseId, idempotencyKey).update();
            }
            return replay(existing);
        }
        meters.counter("sw.declarations.submitted", "type", declaration.declarationType().name(),
                "platform", declaration.order().ebpCode()).increment();
        TradeFigures.count(meters, declaration);
        if (awaiting != null) {
            // the firms may have confirmed first
            boolean released = confirmations.settle(id);
            return new Submitted(id, released ? DeclarationStatus.RECEIVED : DeclarationStatus.AWAITING_PARTIES, now, false);
        }
        return new Submitted(id, DeclarationStatus.RECEIVED, now, false);
    }

    private Submitted replay(UUID id) {
        return jdbc.sql("select id, status, submitted_at from declaration where id = ?").param(id)
                .query((rs, n) -> new Submitted(rs.getObject(1, UUID.class), DeclarationStatus.valueOf(rs.getString(2)),
                        rs.getObject(3, OffsetDateTime.class), true))
                .single();
    }

    /** What an amendment did: the new version (the same if nothing changed) and the fields that changed. */
    public record Amended(int version, List<String> changes) {
    }

    /**
     * Amend a declaration that is neither final nor held by an officer (CEB621 appType CHANGE): the new version replaces the body,
     * the consolidation starts again (an answer about the earlier version no longer decides), and every
     * agency decides again on it ({@code declaration.amended.v1}), releasing what it reserved for the
     * earlier one. The order it declares (platform, seller, order number) cannot change. Every version is
     * kept — when, by whom, which fields changed, its body without the people's data. The same body again
     * changes nothing.
     */
    @Transactional
    public Amended amend(UUID id, String enterpriseId, String changedBy, Declaration declaration) {
        MDC.put(Logging.DECLARATION_ID, id.toString());
        record Row(String status, int version, String ebpCode, String ebcCode, String orderNo, String body,
                   OffsetDateTime submittedAt) {
        }
        Row row = jdbc.sql("""
                        select status, version, ebp_code, ebc_code, order_no, body::text as body, submitted_at
                        from declaration where id = ? and enterprise_id = ? for update""")
                .params(id, enterpriseId).query(Row.class).optional()
                .orElseThrow(() -> ApiException.notFound("declaration " + id));
        DeclarationStatus status = DeclarationStatus.valueOf(row.status());
        if (AmendmentSaga.amend(status, true) == AmendmentSaga.Step.REFUSED_FINAL) {
            throw ApiException.conflict("declaration " + id + " is " + status + ": only a declaration not yet final can be amended"
                    + (status == DeclarationStatus.CLEARED ? "; after release withdraw it or return lines" : ""));
        }
        List<Violation> moved = new java.util.ArrayList<>();
        if (!row.ebpCode().equals(declaration.order().ebpCode())) {
            moved.add(new Violation("/order/ebpCode", "unchanged", "must stay " + row.ebpCode()));
        }
        if (!row.ebcCode().equals(declaration.order().ebcCode())) {
            moved.add(new Violation("/order/ebcCode", "unchanged", "must stay " + row.ebcCode()));
        }
        if (!row.orderNo().equals(declaration.order().orderNo())) {
            moved.add(new Violation("/order/orderNo", "unchanged", "must stay " + row.orderNo()));
        }
        if (!moved.isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "An amendment keeps its order",
                    "an amendment changes the declaration of one order; another order is a new declaration", moved);
        }
        JsonNode before = Json.mapper().readTree(row.body());
        JsonNode after = Json.mapper().valueToTree(declaration);
        List<String> changes = new java.util.ArrayList<>();
        JsonChanges.between(before, after, "", changes);
        changes.removeIf(pointer -> pointer.equals("/guid") || pointer.equals("/appType"));
        AmendmentSaga.Step step = AmendmentSaga.amend(status, !changes.isEmpty());
        if (step == AmendmentSaga.Step.UNCHANGED) {
            return new Amended(row.version(), List.of());
        }
        if (step == AmendmentSaga.Step.REFUSED_HELD) {
            // GACC 2018 No.194 item 11: a list customs has decided to inspect cannot be changed until that is concluded
            throw ApiException.conflict("declaration " + id + " is held for an officer's review or inspection: it cannot be "
                    + "amended until the officer has decided (GACC announcement 2018 No.194, item 11); it can be cancelled");
        }
        int next = row.version() + 1;
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        boolean awaiting = step == AmendmentSaga.Step.KEPT_AWAITING_PARTIES;
        String insertVersion = """
                insert into declaration_version (declaration_id, version, body, changed_by, changed_at, changes)
                values (?, ?, ?::jsonb, ?, ?, ?) on conflict do nothing""";
        if (row.version() == 1) {
            jdbc.sql(insertVersion).params(id, 1, withoutPeople(before), enterpriseId, row.submittedAt(), new String[0]).update();
        }
        jdbc.sql(insertVersion).params(id, next, withoutPeople(after), changedBy, now, changes.toArray(String[]::new)).update();
        String detail = "version " + next + " by " + changedBy + ": " + String.join(", ", changes);
        records.amended(id, status, declaration, hash(declaration), next, awaiting ? detail
                : detail + "; every agency decides again, releasing what it reserved for version " + row.version(), now, enterpriseId);
        if (awaiting) {
            // no agency has seen it: the new version waits for the firms' confirmations, which may now match
            confirmations.settle(id);
        }
        meters.counter("sw.declarations.amended").increment();
        return new Amended(next, List.copyOf(changes));
    }

    /** A version's body as kept: the people's names, ID numbers, telephones and addresses taken out. */
    private static String withoutPeople(JsonNode body) {
        return Json.mapper().readTree(org.singlewindow.kit.privacy.PersonalData.minimised(
                Json.mapper().writeValueAsBytes(Map.of("declaration", body)), null)).get("declaration").toString();
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
        records.cancelled(id, status, reason, now);
        meters.counter("sw.declarations.final", "status", DeclarationStatus.CANCELLED.name()).increment();
        return DeclarationStatus.CANCELLED;
    }

    /**
     * Apply to withdraw a cleared declaration whose goods are still in the bonded zone (GACC 2018 No.194
     * §11): a customs officer decides the application (CEB623), then logistics checks the goods, as it alone knows
     * where they are, then every agency restores what it committed ({@code ReceiptIntake}). Applying again while it is under way, or once withdrawn, changes
     * nothing. Refused (409, saying why) before release — a cancellation is the way then — after a
     * rejection or cancellation, once logistics has reported the goods out of the zone, and while the
     * agencies are still settling the clearance.
     */
    @Transactional
    public DeclarationStatus withdraw(UUID id, String enterpriseId, String reason) {
        MDC.put(Logging.DECLARATION_ID, id.toString());
        record Row(String status, OffsetDateTime followUpsCompletedAt, OffsetDateTime leftZoneAt) {
        }
        Row row = jdbc.sql("""
                        select status, follow_ups_completed_at, left_zone_at from declaration
                        where id = ? and enterprise_id = ? for update""")
                .params(id, enterpriseId).query(Row.class).optional()
                .orElseThrow(() -> ApiException.notFound("declaration " + id));
        DeclarationStatus status = DeclarationStatus.valueOf(row.status());
        switch (status) {
            case WITHDRAWING, WITHDRAWN -> {
                return status;
            }
            case CLEARED -> {
            }
            case REJECTED, CANCELLED -> throw ApiException.conflict("declaration " + id + " is " + status
                    + ": nothing was released, so there is nothing to withdraw");
            default -> throw ApiException.conflict("declaration " + id + " is not released yet (" + status
                    + "): cancel it instead (POST /api/v1/declarations/" + id + "/cancellation)");
        }
        if (row.leftZoneAt() != null) {
            throw ApiException.conflict("the goods of declaration " + id + " left the bonded zone at " + row.leftZoneAt()
                    + ": it can no longer be withdrawn; apply for a return instead");
        }
        if (row.followUpsCompletedAt() == null) {
            throw ApiException.conflict("the agencies are still settling the clearance of declaration " + id
                    + " (stock, tax bill): apply again in a few seconds");
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        records.withdrawalApplied(id, reason, now);
        meters.counter("sw.declarations.withdrawals", "result", "requested").increment();
        return DeclarationStatus.WITHDRAWING;
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

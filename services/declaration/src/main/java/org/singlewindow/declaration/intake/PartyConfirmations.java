package org.singlewindow.declaration.intake;

import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.reference.PartyRegister;
import org.singlewindow.declaration.lifecycle.DeclarationRecords;
import org.singlewindow.declaration.lifecycle.DeclarationStatus;
import org.singlewindow.declaration.lifecycle.TimelineKind;
import org.singlewindow.kit.reference.ReferenceData;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Each party its own (GACC 2018 No.194 item 8: in a bonded import the payment firm and the logistics firm each
 * transmit their own data; an agent may transmit them only in direct purchase, 9610: a postal or express operator the
 * firm has entrusted, {@link PartyRegister#entrusted}). Where the deployment says so
 * ({@code sw.ceb.strict}), a JSON single submission by a declaring agent who may not send them is kept with status
 * {@link DeclarationStatus#AWAITING_PARTIES} until the payment firm (unless the agent is the firm itself) and the
 * logistics firm have each confirmed their own part, and only then goes to the agencies. A firm confirms as JSON
 * ({@code POST /api/v1/declarations/confirmations/payment}, {@code …/waybill}) or by its own CEB411/CEB511; a
 * confirmation may come before the declaration and is kept until it does. A confirmation is matched by the firm, the
 * order and the firm's own number (the transaction, the waybill), as customs matches the three documents; what is
 * compared: the payment's amount and currency, the waybill's freight and insurance. Nothing about people is kept.
 * All of it runs in the caller's transaction.
 */
@Component
public class PartyConfirmations {

    /** What a firm confirms. */
    public enum Role {
        /** The payment firm: its transaction ({@code payTransactionId}), {@code amountPaid}, {@code currency}. */
        PAYMENT,
        /** The logistics firm: its waybill ({@code logisticsNo}), {@code freight}, {@code insuredFee}. */
        WAYBILL;

        String firm() {
            return this == PAYMENT ? "payment firm" : "logistics firm";
        }
    }

    /**
     * What a firm's confirmation did: {@code CONFIRMED} a declaration waiting for it (and {@code released} when it
     * was the last one awaited), {@code KEPT} until a declaration names it, or {@code DOES_NOT_MATCH} the declaration
     * that names it, {@code differs} naming the fields (the declaring agent is told, and amends, or the firm corrects
     * its confirmation).
     */
    public record Confirmed(String status, boolean released, List<String> differs) {
    }

    private final JdbcClient jdbc;
    private final DeclarationRecords records;
    private final MeterRegistry meters;
    private final boolean strict;

    private final ReferenceData<PartyRegister> parties;

    PartyConfirmations(JdbcClient jdbc, DeclarationRecords records, MeterRegistry meters, @Value("${sw.ceb.strict:false}") boolean strict,
                       ReferenceData<PartyRegister> parties) {
        this.parties = parties;
        this.jdbc = jdbc;
        this.records = records;
        this.meters = meters;
        this.strict = strict;
    }

    /** Whether each party must transmit its own (the deployment's {@code sw.ceb.strict}). */
    public boolean strict() {
        return strict;
    }

    /**
     * The firms whose own confirmation a declaration filed by {@code filer} waits for: none unless the deployment is
     * strict; not a firm that is the filer itself, nor — in a direct import (9610) — one that entrusted the filer as its
     * postal or express operator.
     */
    public List<Role> awaited(Declaration declaration, String filer) {
        if (!strict) {
            return List.of();
        }
        boolean direct = declaration.declarationType() == Declaration.DeclarationType.DIRECT_IMPORT_9610;
        PartyRegister register = parties.get();
        List<Role> roles = new ArrayList<>();
        String payCode = declaration.payment().payCode();
        if (!filer.equals(payCode) && !(direct && register.entrusted(filer, payCode))) {
            roles.add(Role.PAYMENT);
        }
        String logisticsCode = declaration.logistics().logisticsCode();
        if (!filer.equals(logisticsCode) && !(direct && register.entrusted(filer, logisticsCode))) {
            roles.add(Role.WAYBILL);
        }
        return roles;
    }

    /**
     * A firm's own confirmation of its part of an order, kept (its earlier one for the same order replaced), then
     * matched with the declarations of that order that wait for it.
     *
     * @param ebpCode    the platform, when the firm's document names it (a payment does; null for a waybill)
     * @param documentNo the firm's own number: its transaction ({@code payTransactionId}) or waybill ({@code logisticsNo})
     * @param fields     what it confirms, named as the contract names them ({@code amountPaid}, {@code currency};
     *                   {@code freight}, {@code insuredFee}), ISO currency codes
     * @param via        {@code JSON}, {@code CEB411} or {@code CEB511}
     */
    @Transactional
    public Confirmed confirm(Role role, String firm, String ebpCode, String orderNo, String documentNo, Map<String, String> fields,
                             String via) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.sql("""
                        insert into party_confirmation (role, party_code, order_no, document_no, ebp_code, body, via, received_at)
                        values (?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                        on conflict (role, party_code, order_no, document_no)
                        do update set ebp_code = excluded.ebp_code, body = excluded.body, via = excluded.via,
                            received_at = excluded.received_at""")
                .params(role.name(), firm, orderNo, documentNo, ebpCode, Json.mapper().writeValueAsString(fields), via, now).update();
        meters.counter("sw.declarations.confirmations", "role", role.name(), "via", via).increment();
        boolean confirmed = false;
        boolean released = false;
        List<String> differs = new ArrayList<>();
        for (Waiting waiting : waiting("order_no = ?", orderNo)) {
            if (!waiting.awaits(role) || !firm.equals(waiting.codeOf(role)) || !documentNo.equals(waiting.numberOf(role))
                    || ebpCode != null && !ebpCode.equals(waiting.declaration().order().ebpCode())) {
                continue;
            }
            List<String> difference = differences(role, waiting.declaration(), fields);
            if (difference.isEmpty()) {
                confirmed = true;
                released |= settle(waiting, now);
            } else {
                differs.addAll(difference);
                records.entry(waiting.id(), now, TimelineKind.CONFIRMATION_DIFFERS, "the " + role.firm() + "'s own confirmation (" + via
                        + ") differs from the declaration in " + String.join(", ", difference)
                        + ": amend the declaration, or have the firm correct its confirmation");
            }
        }
        String status = confirmed ? "CONFIRMED" : differs.isEmpty() ? "KEPT" : "DOES_NOT_MATCH";
        return new Confirmed(status, released, List.copyOf(differs));
    }

    /**
     * Matches a declaration of this order waiting for its parties with the confirmations already here (they may have
     * come first, or the declaration was amended); once none is awaited it goes to the agencies. Returns whether it did.
     */
    @Transactional
    public boolean settle(UUID id) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return waiting("id = ?", id).stream().findFirst().map(w -> settle(w, now)).orElse(false);
    }

    /** The firms a declaration waiting for its parties still waits for, as the agent's answer names them. */
    public static List<String> describe(String[] awaiting) {
        return awaiting == null ? List.of() : java.util.Arrays.stream(awaiting).map(r -> "the " + Role.valueOf(r).firm()
                + "'s own confirmation (" + (Role.valueOf(r) == Role.PAYMENT ? "CEB411, or POST /api/v1/declarations/confirmations/payment"
                : "CEB511, or POST /api/v1/declarations/confirmations/waybill") + ")").toList();
    }

    private record Waiting(UUID id, String enterpriseId, int version, Declaration declaration, List<Role> awaiting) {
        boolean awaits(Role role) {
            return awaiting.contains(role);
        }

        String codeOf(Role role) {
            return role == Role.PAYMENT ? declaration.payment().payCode() : declaration.logistics().logisticsCode();
        }

        String numberOf(Role role) {
            return role == Role.PAYMENT ? declaration.payment().payTransactionId() : declaration.logistics().logisticsNo();
        }
    }

    private List<Waiting> waiting(String where, Object... params) {
        return jdbc.sql("select id, enterprise_id, version, body::text as body, awaiting_parties from declaration where "
                        + where + " and status = 'AWAITING_PARTIES' for update")
                .params(params)
                .query((rs, n) -> new Waiting(rs.getObject("id", UUID.class), rs.getString("enterprise_id"), rs.getInt("version"),
                        Json.mapper().readValue(rs.getString("body"), Declaration.class),
                        java.util.Arrays.stream((String[]) rs.getArray("awaiting_parties").getArray()).map(Role::valueOf).toList()))
                .list();
    }

    /** Every awaited role whose firm's confirmation is here and matches is done; none left: to the agencies. */
    private boolean settle(Waiting waiting, OffsetDateTime now) {
        List<Role> left = new ArrayList<>();
        List<String> confirmed = new ArrayList<>();
        for (Role role : waiting.awaiting()) {
            Map<String, String> fields = jdbc.sql("""
                            select body::text from party_confirmation
                            where role = ? and party_code = ? and order_no = ? and document_no = ?
                              and (ebp_code is null or ebp_code = ?)""")
                    .params(role.name(), waiting.codeOf(role), waiting.declaration().order().orderNo(), waiting.numberOf(role),
                            waiting.declaration().order().ebpCode())
                    .query(String.class).optional()
                    .map(body -> Json.mapper().readValue(body, new tools.jackson.core.type.TypeReference<Map<String, String>>() {
                    })).orElse(null);
            if (fields == null || !differences(role, waiting.declaration(), fields).isEmpty()) {
                left.add(role);
            } else {
                confirmed.add("the " + role.firm() + " confirmed its own part");
            }
        }
        if (!left.isEmpty()) {
            records.partiesAwaited(waiting.id(), left.stream().map(Role::name).toArray(String[]::new), confirmed, now);
            return false;
        }
        records.partiesConfirmed(waiting.id(), confirmed, now,
                new DeclarationSubmitted(waiting.id(), waiting.enterpriseId(), now, waiting.declaration(), waiting.version()));
        return true;
    }

    /**
     * The fields, as the contract names them, where the firm's confirmation of a transaction or waybill the declaration
     * names (matched by its number) and the declaration differ: the payment's amount and currency must be confirmed and
     * equal; the waybill's freight and insurance are compared when the firm states them.
     */
    static List<String> differences(Role role, Declaration declaration, Map<String, String> fields) {
        List<String> differs = new ArrayList<>();
        if (role == Role.PAYMENT) {
            amount(differs, "/payment/amountPaid", declaration.payment().amountPaid(), fields.get("amountPaid"), true);
            same(differs, "/payment/currency", declaration.payment().currency(), fields.get("currency"));
        } else {
            amount(differs, "/logistics/freight", declaration.logistics().freight(), fields.get("freight"), false);
            amount(differs, "/logistics/insuredFee", declaration.logistics().insuredFee(), fields.get("insuredFee"), false);
        }
        return differs;
    }

    private static void same(List<String> differs, String pointer, String declared, String confirmed) {
        if (!Objects.equals(declared, confirmed)) {
            differs.add(pointer);
        }
    }

    private static void amount(List<String> differs, String pointer, BigDecimal declared, String confirmed, boolean required) {
        if (confirmed == null || confirmed.isBlank()) {
            if (required) {
                differs.add(pointer);
            }
            return;
        }
        try {
            BigDecimal value = new BigDecimal(confirmed);
            if (value.compareTo(declared == null ? BigDecimal.ZERO : declared) != 0) {
                differs.add(pointer);
            }
        } catch (NumberFormatException e) {
            differs.add(pointer);
        }
    }
}

package org.singlewindow.declaration.query;

import org.singlewindow.contract.Agency;
import org.singlewindow.contract.Json;
import org.singlewindow.kit.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Read side of declarations. */
@Service
public class DeclarationQueries {

    /**
     * When anything the enterprise sees last changed: the row's own time (status, follow-ups) or the
     * newest receipt's, whichever is later. Receipts that change no status do not rewrite the row.
     */
    private static final String UPDATED_AT =
            " greatest(updated_at, (select max(r.received_at) from receipt r where r.declaration_id = declaration.id)) as updated_at ";

    private final JdbcClient jdbc;
    private final Clock clock;

    public DeclarationQueries(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private Optional<String> enterpriseOf(UUID id) {
        return jdbc.sql("select enterprise_id from declaration where id = ?").param(id).query(String.class).optional();
    }

    /** One declaration of this enterprise; another enterprise's is "not found", so its existence is not revealed. */
    public DeclarationView get(UUID id, String enterpriseId) {
        if (!enterpriseOf(id).map(enterpriseId::equals).orElse(false)) {
            throw ApiException.notFound("declaration " + id);
        }
        return get(id);
    }

    /** One declaration, whoever filed it (internal callers only). */
    public DeclarationView get(UUID id) {
        record Row(UUID id, UUID guid, String enterpriseId, String declarationType, String ebpCode, String orderNo,
                   String preNo, String invtNo, String status, OffsetDateTime submittedAt, OffsetDateTime updatedAt, OffsetDateTime finalAt,
                   String followUpOutcome, OffsetDateTime followUpsRequestedAt, OffsetDateTime followUpsCompletedAt,
                   String withdrawalReason, OffsetDateTime withdrawalRequestedAt, OffsetDateTime withdrawnAt,
                   OffsetDateTime leftZoneAt, OffsetDateTime clearanceCompletedAt, int version, String body,
                   boolean filedInXml) {
        }
        Row row = jdbc.sql("""
                        select id, guid, enterprise_id, declaration_type, ebp_code, order_no, pre_no, invt_no, status, submitted_at,
                               """ + UPDATED_AT + """
                               , final_at, follow_up_outcome, follow_ups_requested_at, follow_ups_completed_at,
                               withdrawal_reason, withdrawal_requested_at, withdrawn_at, left_zone_at, clearance_completed_at,
                               version, body::text as body,
                               exists(select 1 from ceb_document c where c.declaration_id = declaration.id) as filed_in_xml
                        from declaration where id = ?""")
                .param(id).query(Row.class).optional()
                .orElseThrow(() -> ApiException.notFound("declaration " + id));
        List<DeclarationView.ReceiptView> receipts = jdbc.sql("""
                        select receipt_id, agency, kind, status, status_code, reason_code, message, decided_at, received_at,
                               payload::text as payload, version
                        from receipt where declaration_id = ? order by decided_at, received_at""")
                .param(id).query(DeclarationView.ReceiptView.class).list();
        // what the window did, and every receipt (read from the receipt itself: the timeline keeps no copy)
        List<DeclarationView.TimelineEntry> timeline = jdbc.sql("""
                        select at, kind, agency, detail from (
                            select at, kind, agency, detail, 0 as source, id as seq, null::timestamptz as received_at
                            from declaration_event where declaration_id = ?
                            union all
                            select decided_at, case kind when 'ACKNOWLEDGEMENT' then 'ACKNOWLEDGED' when 'DECISION' then 'DECIDED'
                                                         when 'WITHDRAWAL' then 'WITHDRAWAL' when 'MOVEMENT' then 'MOVED'
                                                         when 'RETURN' then 'RETURN'
                                                         else 'SETTLED' end,
                                   lower(agency), status_code || ' ' || status || ' (' || reason_code || '): ' || message,
                                   1, 0, received_at
                            from receipt where declaration_id = ?) entries
                        order by at, source, seq, received_at""")
                .params(id, id).query(DeclarationView.TimelineEntry.class).list();
        // each agency's state is about the current version; the receipts and the timeline keep every version's
        List<DeclarationView.AgencyState> agencies = agencies(receipts.stream().filter(r -> r.version() == row.version()).toList());
        DeclarationView.FollowUps followUps = row.followUpOutcome() == null ? null
                : new DeclarationView.FollowUps(row.followUpOutcome(), row.followUpsRequestedAt(),
                agencies.stream().filter(a -> a.settledAt() != null).map(DeclarationView.AgencyState::agency).toList(),
                row.followUpsCompletedAt());
        DeclarationView.Withdrawal withdrawal = row.withdrawalRequestedAt() == null ? null
                : new DeclarationView.Withdrawal(row.withdrawalReason(), row.withdrawalRequestedAt(),
                agencies.stream().filter(a -> a.withdrawnAt() != null).map(DeclarationView.AgencyState::agency).toList(),
                row.withdrawnAt());
        return new DeclarationView(row.id(), row.guid(), row.enterpriseId(), row.declarationType(), row.ebpCode(),
                row.orderNo(), row.preNo(), row.invtNo(), row.status(), row.submittedAt(), row.updatedAt(), row.finalAt(), agencies,
                receipts, followUps, withdrawal, row.leftZoneAt(), row.clearanceCompletedAt(), returns(id), row.version(),
                versions(id), row.filedInXml() ? messages(id) : List.of(), timeline, row.body());
    }

    /** The enterprise's own number of the list ({@code copNo}) as its CEB621 gave it, if it was filed in XML. */
    public java.util.Optional<String> cebCopNo(UUID id) {
        return jdbc.sql("""
                        select body #>> '{Inventory,0,InventoryHead,copNo}' from ceb_document
                        where declaration_id = ? and kind = 'CEB621' order by received_at desc limit 1""")
                .param(id).query(String.class).optional();
    }

    /** The CEB messages a declaration was filed from (asked only when it was: the view is polled while a declaration is open). */
    private List<DeclarationView.CebMessage> messages(UUID id) {
        return jdbc.sql("""
                        select kind, guid, sender, received_at, xml_sha256 as sha256, signature_algorithm,
                            signer_fingerprint as signer_certificate_sha256
                        from ceb_document where declaration_id = ? order by received_at, kind""")
                .param(id).query(DeclarationView.CebMessage.class).list();
    }

    private static List<DeclarationView.AgencyState> agencies(List<DeclarationView.ReceiptView> receipts) {
        List<DeclarationView.AgencyState> out = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            boolean acknowledged = false;
            DeclarationView.ReceiptView decision = null;
            DeclarationView.ReceiptView settlement = null;
            DeclarationView.ReceiptView withdrawal = null;
            for (DeclarationView.ReceiptView r : receipts) {
                if (!r.agency().equals(agency.name())) {
                    continue;
                }
                switch (r.kind()) {
                    case "ACKNOWLEDGEMENT" -> acknowledged = true;
                    case "SETTLEMENT" -> settlement = r;
                    case "WITHDRAWAL" -> withdrawal = "WITHDRAWN".equals(r.status()) ? r : withdrawal;
                    case "DECISION" -> {
                        if (decision == null || !r.decidedAt().isBefore(decision.decidedAt())) {
                            decision = r;
                        }
                    }
                }
            }
            out.add(new DeclarationView.AgencyState(agency.key(), acknowledged,
                    decision == null ? null : decision.status(), decision == null ? null : decision.statusCode(),
                    decision == null ? null : decision.reasonCode(), decision == null ? null : decision.decidedAt(),
                    settlement == null ? null : settlement.reasonCode(), settlement == null ? null : settlement.decidedAt(),
                    withdrawal == null ? null : withdrawal.reasonCode(), withdrawal == null ? null : withdrawal.decidedAt()));
        }
        return out;
    }

    /** A declaration's versions once it was amended (none before): when, by whom, which fields changed. */
    private List<DeclarationView.VersionView> versions(UUID declarationId) {
        return jdbc.sql("""
                        select version, changed_by, changed_at, changes from declaration_version
                        where declaration_id = ? order by version""")
                .param(declarationId).query((rs, n) -> new DeclarationView.VersionView(rs.getInt(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class), List.of((String[]) rs.getArray(4).getArray()))).list();
    }

    /** A declaration's returns, oldest first. */
    public List<DeclarationView.ReturnView> returns(UUID declarationId) {
        record Row(UUID returnId, String lines, String reason, OffsetDateTime requestedAt, OffsetDateTime receiveBy, String state,
                   OffsetDateTime receivedAt, OffsetDateTime completedAt, int settled, OffsetDateTime approvedAt, String refusal,
                   OffsetDateTime arrivedAt) {
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        return jdbc.sql("""
                        select return_id, lines::text as lines, reason, requested_at, receive_by, state, received_at, completed_at, settled,
                               approved_at, refusal, arrived_at
                        from declaration_return where declaration_id = ? order by requested_at""")
                .param(declarationId).query(Row.class).list().stream()
                .map(r -> new DeclarationView.ReturnView(r.returnId(),
                        List.of(Json.mapper().readValue(r.lines(), DeclarationView.ReturnLineView[].class)), r.reason(),
                        r.requestedAt(), r.receiveBy(), r.state(), r.receivedAt(), r.completedAt(),
                        Arrays.stream(Agency.values()).filter(a -> (r.settled() & (1 << a.ordinal())) != 0).map(Agency::key).toList(),
                        (r.state().equals("APPLIED") || r.state().equals("APPROVED")) && now.isAfter(r.receiveBy()),
                        r.approvedAt(), r.refusal(), r.arrivedAt()))
                .toList();
    }

    /** A page of declarations, newest first. */
    public record Page(List<DeclarationView.Summary> items, int page, int size, long total) {
    }

    /**
     * An enterprise's declarations, newest first, optionally of one status, submitted in {@code [from, to)},
     * and with an order number that starts with {@code orderNo} (taken literally: {@code _} is no wildcard). The
     * order number is a filter on the enterprise's declarations newest first, not an index of its own: an index on it
     * cost about a tenth of the platform's throughput in the benchmark (every status change of a declaration writes
     * every index of the table), for a search people make by hand.
     */
    public Page list(String enterpriseId, String status, OffsetDateTime from, OffsetDateTime to, String orderNo, int page, int size) {
        String prefix = orderNo == null ? null
                : orderNo.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        String where = """
                where enterprise_id = ?
                  and (cast(? as text) is null or status = ?)
                  and (cast(? as timestamptz) is null or submitted_at >= ?)
                  and (cast(? as timestamptz) is null or submitted_at < ?)
                  and (cast(? as text) is null or order_no like ?)""";
        Object[] params = {enterpriseId, status, status, from, from, to, to, prefix, prefix};
        long total = jdbc.sql("select count(*) from declaration " + where).params(params).query(Long.class).single();
        List<DeclarationView.Summary> items = jdbc.sql("""
                        select id, enterprise_id, declaration_type, ebp_code, order_no, status, submitted_at,
                        """ + UPDATED_AT + """
                        from declaration""" + " " + where + " order by submitted_at desc, id limit ? offset ?")
                .params(params).param(size).param((long) page * size)
                .query(DeclarationView.Summary.class).list();
        return new Page(items, page, size, total);
    }
}

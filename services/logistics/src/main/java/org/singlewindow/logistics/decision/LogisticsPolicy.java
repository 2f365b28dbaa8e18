package org.singlewindow.logistics.decision;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.DeclarationReturnRequested;
import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Outcome;
import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.agency.Decision;
import org.singlewindow.agency.DecisionPolicy;
import org.singlewindow.agency.Settlement;
import org.singlewindow.logistics.returns.ReturnSettlement;
import org.singlewindow.logistics.stock.BondedStock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Logistics and the bonded zone decide: message checks; the waybill is this declaration's alone; for
 * bonded import (1210) the goods are pre-deducted from the e-commerce enterprise's own warehouse accounts — all lines or none, a
 * shortfall rejects naming each item and what it lacks; a direct import (9610) is released once its parcel has arrived at
 * the supervised site (the decision waits for the arrival record). On the outcome the pre-deducted goods are
 * deducted (cleared: they leave the zone) or restored (rejected, cancelled).
 * <p>
 * Logistics arbitrates a withdrawal after release, as it alone knows where the goods are: refused once a
 * waybill event says they left the bonded zone; otherwise the deducted goods go back on the owner's
 * accounts, and from then on the goods may not leave (the waybill's events are refused).
 * <p>
 * A return is expected once applied for, received once customs approved it, and put back on the accounts once
 * customs accepted the goods on its check ({@link ReturnSettlement}).
 */
@Component
class LogisticsPolicy implements DecisionPolicy {

    private final LogisticsMessageChecks messageChecks = new LogisticsMessageChecks();
    private final BondedStock stock;
    private final ReturnSettlement returns;
    private final JdbcClient jdbc;

    LogisticsPolicy(BondedStock stock, ReturnSettlement returns, JdbcClient jdbc) {
        this.stock = stock;
        this.returns = returns;
        this.jdbc = jdbc;
    }

    /** The waybill number and every stock account the declaration draws on, as {@link #decide} takes them. */
    @Override
    public Collection<String> lockKeys(DeclarationSubmitted submitted) {
        Declaration d = submitted.declaration();
        if (d.logistics() == null) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        keys.add("waybill:" + d.logistics().logisticsCode() + ":" + d.logistics().logisticsNo());
        if (d.items() != null && d.order() != null && d.declarationType() == Declaration.DeclarationType.BONDED_IMPORT_1210) {
            for (Declaration.Item item : d.items()) {
                keys.add("stock:" + d.logistics().warehouseCode() + ":" + d.order().ebcCode() + ":" + item.itemRecordNo());
            }
        }
        return keys;
    }

    @Override
    public Decision decide(DeclarationSubmitted submitted) {
        Decision checked = messageChecks.decide(submitted);
        if (checked.status() != ReceiptStatus.RELEASED) {
            return checked;
        }
        Declaration d = submitted.declaration();
        Declaration.Logistics waybill = d.logistics();
        // the firm's number: another firm's waybill of the same number is another waybill
        String kept = jdbc.sql("select logistics_no from waybill where declaration_id = ? and (logistics_code <> ? or logistics_no <> ?)")
                .params(submitted.declarationId(), waybill.logisticsCode(), waybill.logisticsNo()).query(String.class).optional().orElse(null);
        if (kept != null) {
            return Decision.reject("LOG_WAYBILL_KEPT", "the goods of an earlier version of this declaration were already handled under "
                    + "waybill " + kept + ", which this version must keep", ReceiptPayload.Findings.of("/logistics/logisticsNo",
                    "LOG_WAYBILL_KEPT", "must stay " + kept));
        }
        UUID holder = jdbc.sql("select declaration_id from waybill where logistics_code = ? and logistics_no = ?")
                .params(waybill.logisticsCode(), waybill.logisticsNo()).query(UUID.class).optional().orElse(null);
        if (holder != null && !holder.equals(submitted.declarationId())) {
            return Decision.reject("LOG_WAYBILL_TAKEN", "waybill " + waybill.logisticsNo()
                    + " already carries another declaration", ReceiptPayload.Findings.of("/logistics/logisticsNo", "LOG_WAYBILL_TAKEN",
                    "the waybill number is already in use"));
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String released = "waybill " + waybill.logisticsNo() + " recorded";
        if (d.declarationType() == Declaration.DeclarationType.BONDED_IMPORT_1210) {
            Map<BondedStock.Account, BigDecimal> wanted = new LinkedHashMap<>();
            for (Declaration.Item item : d.items()) {
                // the goods of the declaration's e-commerce enterprise: it draws on its own accounts only
                wanted.merge(new BondedStock.Account(waybill.warehouseCode(), d.order().ebcCode(), item.itemRecordNo()),
                        item.quantity(), BigDecimal::add);
            }
            List<BondedStock.Shortfall> shortfalls = stock.preDeduct(submitted.declarationId(), wanted, now);
            if (!shortfalls.isEmpty()) {
                List<ReceiptPayload.Finding> findings = shortfalls.stream().map(s -> new ReceiptPayload.Finding(
                        "/items/" + indexOf(d.items(), s.account().itemRecordNo()) + "/quantity", "LOG_STOCK_SHORT",
                        "item " + s.account().itemRecordNo() + " in warehouse " + s.account().warehouseCode() + ": requested "
                                + s.requested().stripTrailingZeros().toPlainString() + ", available "
                                + s.available().stripTrailingZeros().toPlainString() + ", short by "
                                + s.shortfall().stripTrailingZeros().toPlainString())).toList();
                return Decision.reject("LOG_STOCK_SHORT", findings.getFirst().message()
                        + (findings.size() > 1 ? " (and " + (findings.size() - 1) + " more)" : ""),
                        new ReceiptPayload.Findings(findings));
            }
            released += "; " + wanted.size() + " bonded account(s) pre-deducted in warehouse " + waybill.warehouseCode();
        }
        boolean direct = d.declarationType() == Declaration.DeclarationType.DIRECT_IMPORT_9610;
        jdbc.sql("""
                        insert into waybill (logistics_no, declaration_id, logistics_code, declarant, warehouse_code, recorded_at,
                            direct_import)
                        values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")
                .params(waybill.logisticsNo(), submitted.declarationId(), waybill.logisticsCode(), submitted.enterpriseId(),
                        waybill.warehouseCode(), now, direct).update();
        return direct ? arrived(waybill) : Decision.release(released);
    }

    /**
     * A direct import (9610) is released once its parcel arrived at the supervised site (the site operator's arrival
     * record, CEB711); until then the decision waits (deferred: asked again at once when the arrival is recorded). A
     * list that names its site ({@code loctNo}) must have arrived there.
     */
    private Decision arrived(Declaration.Logistics waybill) {
        record Arrival(String siteCode, String arrivalNo, OffsetDateTime arrivedAt) {
        }
        Optional<Arrival> arrival = jdbc.sql("""
                        select site_code, arrival_no, arrived_at from goods_arrival where logistics_code = ? and logistics_no = ?""")
                .params(waybill.logisticsCode(), waybill.logisticsNo()).query(Arrival.class).optional();
        if (arrival.isEmpty()) {
            return Decision.defer("LOG_AWAITING_ARRIVAL", "a direct import (9610) is released once its parcel has arrived at "
                    + "the supervised site: waybill " + waybill.logisticsNo() + " has no arrival record yet");
        }
        Arrival a = arrival.get();
        if (waybill.warehouseCode() != null && !waybill.warehouseCode().equals(a.siteCode())) {
            return Decision.reject("LOG_ARRIVED_ELSEWHERE", "waybill " + waybill.logisticsNo() + " arrived at site " + a.siteCode()
                    + ", not at " + waybill.warehouseCode() + " as the list says", ReceiptPayload.Findings.of("/logistics/warehouseCode",
                    "LOG_ARRIVED_ELSEWHERE", "the parcel arrived at " + a.siteCode()));
        }
        return Decision.release("waybill " + waybill.logisticsNo() + " recorded; the parcel arrived at site " + a.siteCode() + " at "
                + a.arrivedAt() + " (arrival record " + a.arrivalNo() + ")");
    }

    @Override
    public Settlement concluded(UUID declarationId, Outcome outcome) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (outcome.commits()) {
            BigDecimal deducted = stock.deduct(declarationId, now);
            return deducted.signum() == 0 ? Settlement.nothingReserved("logistics")
                    : new Settlement("STOCK_DEDUCTED", deducted.stripTrailingZeros().toPlainString()
                    + " unit(s) deducted from the bonded accounts: the goods may leave the zone");
        }
        // the waybill is free again for a corrected declaration
        jdbc.sql("""
                        delete from waybill w where declaration_id = ? and not exists
                            (select 1 from waybill_event e where e.logistics_code = w.logistics_code and e.logistics_no = w.logistics_no)""")
                .param(declarationId).update();
        BigDecimal restored = stock.restore(declarationId, now);
        return restored.signum() == 0 ? Settlement.nothingReserved("logistics")
                : new Settlement("STOCK_RESTORED", restored.stripTrailingZeros().toPlainString()
                + " pre-deducted unit(s) restored to the bonded accounts");
    }

    /**
     * Amended before its outcome: the earlier version's pre-deducted goods are available again and forgotten,
     * and its waybill too unless events were reported on it (then the new version must keep that waybill).
     */
    @Override
    public void superseded(UUID declarationId) {
        stock.restore(declarationId, OffsetDateTime.now(ZoneOffset.UTC));
        jdbc.sql("delete from stock_reservation where declaration_id = ? and state = 'RESTORED'").param(declarationId).update();
        jdbc.sql("""
                        delete from waybill w where declaration_id = ? and not exists
                            (select 1 from waybill_event e where e.logistics_code = w.logistics_code and e.logistics_no = w.logistics_no)""")
                .param(declarationId).update();
    }

    @Override
    public boolean arbitratesWithdrawal() {
        return true;
    }

    /** Under the waybill's row lock, which a waybill event takes too: the goods cannot leave while this is decided. */
    @Override
    public Optional<String> withdrawalRefused(UUID declarationId) {
        record Left(String logisticsNo, OffsetDateTime at) {
        }
        jdbc.sql("select logistics_no from waybill where declaration_id = ? for update").param(declarationId)
                .query(String.class).list();
        return jdbc.sql("""
                        select w.logistics_no, e.at from waybill w join waybill_event e
                            on e.logistics_code = w.logistics_code and e.logistics_no = w.logistics_no
                        where w.declaration_id = ? and e.status = 'LEFT_ZONE'""")
                .param(declarationId).query(Left.class).optional()
                .map(left -> "the goods of waybill " + left.logisticsNo() + " left the bonded zone at " + left.at()
                        + "; apply for a return instead");
    }

    @Override
    public Settlement withdrawn(UUID declarationId) {
        BigDecimal returned = stock.undoDeduction(declarationId, OffsetDateTime.now(ZoneOffset.UTC));
        return returned.signum() == 0 ? null : new Settlement("STOCK_RESTORED", returned.stripTrailingZeros().toPlainString()
                + " deducted unit(s) back on the bonded accounts; the goods stay in the zone");
    }

    /** Customs approved the return (CEB626): its goods may now be received. */
    @Override
    public void returnApproved(org.singlewindow.contract.DeclarationReturnApproved approved) {
        jdbc.sql("update goods_return set approved_at = coalesce(approved_at, ?) where return_id = ?")
                .params(approved.approvedAt(), approved.returnId()).update();
    }

    /** Customs refused the return: it is no longer expected, and nothing goes back on an account. */
    @Override
    public void returnRefused(org.singlewindow.contract.DeclarationReturnRefused refused) {
        returns.refused(refused);
    }

    /** Customs accepted the returned goods on its check: they go back on the owner's accounts. */
    @Override
    public Settlement returned(org.singlewindow.contract.DeclarationReturned returned) {
        return returns.accepted(returned);
    }

    /** Expect the returned goods back by the application's date; their arrival is reported through the returns API. */
    @Override
    public void returnRequested(DeclarationReturnRequested application) {
        jdbc.sql("""
                        insert into goods_return (return_id, declaration_id, lines, reason, requested_at, receive_by, state)
                        values (?, ?, ?::jsonb, ?, ?, ?, 'PENDING') on conflict do nothing""")
                .params(application.returnId(), application.declarationId(), Json.mapper().writeValueAsString(application.lines()),
                        application.reason(), application.requestedAt(), application.receiveBy()).update();
    }

    private static int indexOf(List<Declaration.Item> items, String itemRecordNo) {
        for (int i = 0; i < items.size(); i++) {
            if (itemRecordNo.equals(items.get(i).itemRecordNo())) {
                return i;
            }
        }
        return 0;
    }
}

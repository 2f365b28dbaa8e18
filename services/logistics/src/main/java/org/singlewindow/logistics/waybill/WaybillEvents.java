package org.singlewindow.logistics.waybill;

import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.Violation;
import org.singlewindow.agency.AgencyAnswers;
import org.singlewindow.agency.AgencyCases;
import org.singlewindow.agency.Decision;
import org.singlewindow.kit.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Waybill status events: picked in the warehouse, left the bonded zone (or the supervised site), delivered (what
 * CEB513 carries, its status S) — in that order; the goods may leave only once the declaration is cleared and its
 * stock deducted. The declarant and the logistics firm on the waybill report and read them, in JSON
 * ({@link WaybillController}) or, for the delivery, as the firm's CEB513 through the window.
 */
@Service
public class WaybillEvents {

    public enum Status { PICKED, LEFT_ZONE, DELIVERED }

    private final JdbcClient jdbc;
    private final AgencyCases cases;
    private final AgencyAnswers answers;
    private final Clock clock;

    WaybillEvents(JdbcClient jdbc, AgencyCases cases, AgencyAnswers answers, Clock clock) {
        this.jdbc = jdbc;
        this.cases = cases;
        this.answers = answers;
        this.clock = clock;
    }

    public record Event(String status, OffsetDateTime at, String location, String note) {
    }

    public record WaybillView(String logisticsNo, UUID declarationId, String logisticsCode, String warehouseCode,
                       String stock, List<Event> events) {
    }

    private record Waybill(String logisticsNo, UUID declarationId, String logisticsCode, String declarant,
                           String warehouseCode) {
    }

    /** The caller's waybill of this number with its events (another firm's is not found). */
    WaybillView get(String logisticsNo, String enterprise) {
        return view(find(logisticsNo, enterprise, false));
    }

    /**
     * An event of the caller's waybill, reported by {@code enterprise}: 400 for an invalid one, 404 for a waybill it
     * neither declared nor carries, 409 out of order or not allowed yet; the same event twice changes nothing.
     */
    @Transactional
    public WaybillView report(String logisticsNo, Event event, String enterprise) {
        Status status = validate(event);
        Waybill waybill = find(logisticsNo, enterprise, true);
        List<String> done = jdbc.sql("select status from waybill_event where logistics_code = ? and logistics_no = ?")
                .params(waybill.logisticsCode(), logisticsNo).query(String.class).list();
        if (done.contains(status.name())) {
            return view(waybill); // reported already: the same report twice changes nothing
        }
        Status before = status.ordinal() == 0 ? null : Status.values()[status.ordinal() - 1];
        if (before != null && !done.contains(before.name())) {
            throw ApiException.conflict("waybill " + logisticsNo + " cannot be " + status + " before it is " + before);
        }
        // read after the waybill's row lock, which a withdrawal takes too: one of the two sees the other
        AgencyCases.Withdrawable current = cases.withdrawable(waybill.declarationId())
                .orElse(new AgencyCases.Withdrawable(null, null, null));
        String outcome = current.outcome();
        if (current.withdrawnAt() != null) {
            throw ApiException.conflict("the declaration of waybill " + logisticsNo + " was withdrawn after release: "
                    + "its goods stay in the bonded zone");
        }
        if (status == Status.PICKED && outcome != null && !outcome.equals("CLEARED")) {
            throw ApiException.conflict("the declaration of waybill " + logisticsNo + " was " + outcome.toLowerCase(java.util.Locale.ROOT) + "; nothing to pick");
        }
        if (status == Status.LEFT_ZONE && !"CLEARED".equals(outcome)) {
            throw ApiException.conflict("the goods of waybill " + logisticsNo
                    + " may not leave the bonded zone before the declaration is cleared and its stock deducted");
        }
        jdbc.sql("""
                        insert into waybill_event (logistics_code, logistics_no, status, at, location, note, recorded_by,
                            recorded_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(waybill.logisticsCode(), logisticsNo, status.name(), event.at(), event.location(), event.note(), enterprise,
                        OffsetDateTime.now(ZoneOffset.UTC)).update();
        if (status == Status.LEFT_ZONE) {
            // the window shows it, and refuses a withdrawal from now on (a return is the way back)
            answers.report(waybill.declarationId(), Receipt.Kind.MOVEMENT, new Decision(ReceiptStatus.LEFT_ZONE, "LEFT_ZONE",
                    "the goods of waybill " + logisticsNo + " left the bonded zone at " + event.at()
                            + (event.location() == null ? "" : " (" + event.location() + ")"), null));
        }
        return view(waybill);
    }

    /** RESERVED, DEDUCTED, RESTORED, or NONE (direct mail: nothing in the bonded zone). */
    private String stockState(UUID declarationId) {
        List<String> states = jdbc.sql("select distinct state from stock_reservation where declaration_id = ?")
                .param(declarationId).query(String.class).list();
        return states.isEmpty() ? "NONE" : states.getFirst();
    }

    /** The caller's waybill of this number: one it declared or its own firm's (another firm's is not found). */
    private Waybill find(String logisticsNo, String enterprise, boolean lock) {
        return jdbc.sql("""
                        select logistics_no, declaration_id, logistics_code, declarant, warehouse_code from waybill
                        where logistics_no = ? and (declarant = ? or logistics_code = ?)
                        order by logistics_code = ? desc, recorded_at limit 1""" + (lock ? " for update" : ""))
                .params(logisticsNo, enterprise, enterprise, enterprise).query(Waybill.class).optional()
                .orElseThrow(() -> ApiException.notFound("waybill " + logisticsNo));
    }

    private WaybillView view(Waybill w) {
        List<Event> events = jdbc.sql("""
                        select status, at, location, note from waybill_event where logistics_code = ? and logistics_no = ? order by id""")
                .params(w.logisticsCode(), w.logisticsNo()).query(Event.class).list();
        return new WaybillView(w.logisticsNo(), w.declarationId(), w.logisticsCode(), w.warehouseCode(),
                stockState(w.declarationId()), events);
    }

    private Status validate(Event event) {
        List<Violation> violations = new ArrayList<>();
        Status status = null;
        try {
            status = event.status() == null ? null : Status.valueOf(event.status());
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (status == null) {
            violations.add(new Violation("/status", "enum", "must be one of " + List.of(Status.values())));
        }
        if (event.at() == null || event.at().isAfter(OffsetDateTime.now(clock).plusMinutes(5))) {
            violations.add(new Violation("/at", "required", "when it happened, an ISO-8601 date-time with offset, not in the future"));
        }
        if (event.location() != null && event.location().length() > 200) {
            violations.add(new Violation("/location", "maxLength", "at most 200 characters"));
        }
        if (event.note() != null && event.note().length() > 500) {
            violations.add(new Violation("/note", "maxLength", "at most 500 characters"));
        }
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        return status;
    }
}

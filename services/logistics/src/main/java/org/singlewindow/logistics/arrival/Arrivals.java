package org.singlewindow.logistics.arrival;

import org.singlewindow.contract.Violation;
import org.singlewindow.contract.reference.PartyRegister;
import org.singlewindow.agency.DeferredDecisions;
import org.singlewindow.kit.messaging.Locks;
import org.singlewindow.kit.reference.ReferenceData;
import org.singlewindow.kit.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Arrival records of direct imports (9610): the operator of a supervised site (监管作业场所) records the parcels that
 * arrived there — what CEB711 (入库明细单) carries: its own number ({@code arrivalNo}, the {@code rkdNo}), the site,
 * the master bill, and each parcel's waybill — as JSON ({@link ArrivalController}) or as its CEB711 through the
 * window. A direct import's list is released by logistics only once its waybill has arrived ({@code LogisticsPolicy});
 * a list that waited for it is decided again at once. A waybill arrives once: reporting it again, in the same record
 * or another, keeps the first arrival.
 */
@Service
public class Arrivals {

    static final int MAX_WAYBILLS = 1000;

    private final JdbcClient jdbc;
    private final ReferenceData<PartyRegister> parties;
    private final Locks locks;
    private final DeferredDecisions deferred;
    private final Clock clock;

    Arrivals(JdbcClient jdbc, ReferenceData<PartyRegister> parties, Locks locks, DeferredDecisions deferred, Clock clock) {
        this.jdbc = jdbc;
        this.parties = parties;
        this.locks = locks;
        this.deferred = deferred;
        this.clock = clock;
    }

    /** One parcel of an arrival record: the logistics firm's waybill. */
    public record Parcel(String logisticsCode, String logisticsNo) {
    }

    /**
     * An arrival record as the site's operator sends it.
     *
     * @param arrivalNo the operator's own number for the record (CEB711 {@code rkdNo}), 1 to 64 characters
     * @param siteCode  the supervised site the parcels arrived at (the party register names its operator)
     * @param billNo    the master bill (air waybill, bill of lading or road manifest) they came on, optional
     * @param arrivedAt when they arrived, not in the future
     */
    public record ArrivalRecord(String arrivalNo, String siteCode, String billNo, OffsetDateTime arrivedAt, List<Parcel> waybills) {
    }

    /** A parcel's arrival as kept: {@code RECORDED} by this record, or {@code ALREADY_RECORDED} by an earlier one. */
    public record ArrivalView(String logisticsCode, String logisticsNo, String siteCode, String arrivalNo, String billNo,
                       OffsetDateTime arrivedAt, String state) {
    }

    public record Recorded(String arrivalNo, String siteCode, int recorded, int alreadyRecorded, List<ArrivalView> waybills) {
    }

    /** Record an arrival in the name of {@code operator}, who must run its site; a 400 naming each field otherwise. */
    @Transactional
    public Recorded record(ArrivalRecord arrival, String operator) {
        validate(arrival, operator);
        // under each waybill's lock, which logistics' decision on its list takes too: either that decision sees this
        // arrival, or this sees the decision deferred and makes it due
        locks.lock(arrival.waybills().stream().map(p -> "waybill:" + p.logisticsCode() + ":" + p.logisticsNo()).toList());
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<ArrivalView> views = new ArrayList<>(arrival.waybills().size());
        List<UUID> waiting = new ArrayList<>();
        int recorded = 0;
        for (Parcel p : arrival.waybills()) {
            int inserted = jdbc.sql("""
                            insert into goods_arrival (logistics_code, logistics_no, site_code, operator_code, arrival_no, bill_no,
                                arrived_at, recorded_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")
                    .params(p.logisticsCode(), p.logisticsNo(), arrival.siteCode(), operator, arrival.arrivalNo(), arrival.billNo(),
                            arrival.arrivedAt(), now).update();
            recorded += inserted;
            views.add(jdbc.sql("""
                            select logistics_code, logistics_no, site_code, arrival_no, bill_no, arrived_at, ? as state
                            from goods_arrival where logistics_code = ? and logistics_no = ?""")
                    .params(inserted == 1 ? "RECORDED" : "ALREADY_RECORDED", p.logisticsCode(), p.logisticsNo())
                    .query(ArrivalView.class).single());
            if (inserted == 1) {
                jdbc.sql("select declaration_id from waybill where logistics_code = ? and logistics_no = ? and direct_import")
                        .params(p.logisticsCode(), p.logisticsNo()).query(UUID.class).optional().ifPresent(waiting::add);
            }
        }
        deferred.dueNow(waiting);
        return new Recorded(arrival.arrivalNo(), arrival.siteCode(), recorded, views.size() - recorded, views);
    }

    /** Arrivals by waybill or record number, newest first: all of them ({@code enterprise} null) or an enterprise's. */
    List<ArrivalView> list(String logisticsNo, String arrivalNo, String enterprise) {
        if ((logisticsNo == null || logisticsNo.isBlank()) && (arrivalNo == null || arrivalNo.isBlank())) {
            throw ApiException.invalid("logisticsNo", "required", "name a waybill (logisticsNo) or an arrival record (arrivalNo)");
        }
        return jdbc.sql("""
                        select logistics_code, logistics_no, site_code, arrival_no, bill_no, arrived_at, 'RECORDED' as state
                        from goods_arrival
                        where (cast(? as text) is null or logistics_no = ?) and (cast(? as text) is null or arrival_no = ?)
                          and (cast(? as text) is null or operator_code = ? or logistics_code = ?)
                        order by arrived_at desc limit 1000""")
                .params(logisticsNo, logisticsNo, arrivalNo, arrivalNo, enterprise, enterprise, enterprise)
                .query(ArrivalView.class).list();
    }

    private void validate(ArrivalRecord arrival, String operator) {
        List<Violation> violations = new ArrayList<>();
        if (arrival.arrivalNo() == null || !arrival.arrivalNo().matches("[0-9A-Za-z_-]{1,64}")) {
            violations.add(new Violation("/arrivalNo", "pattern", "the operator's own number for the record: 1 to 64 of A-Z a-z 0-9 _ -"));
        }
        if (arrival.siteCode() == null || arrival.siteCode().isBlank()) {
            violations.add(new Violation("/siteCode", "required", "the supervised site the parcels arrived at"));
        } else if (!parties.get().operatorOfSite(arrival.siteCode()).filter(operator::equals).isPresent()) {
            violations.add(new Violation("/siteCode", "party-register", "must be a supervised site you operate (party register "
                    + parties.get().version() + ")"));
        }
        if (arrival.billNo() != null && (arrival.billNo().isBlank() || arrival.billNo().length() > 37)) {
            violations.add(new Violation("/billNo", "maxLength", "the master bill: 1 to 37 characters, or left out"));
        }
        if (arrival.arrivedAt() == null || arrival.arrivedAt().isAfter(OffsetDateTime.now(clock).plusMinutes(5))) {
            violations.add(new Violation("/arrivedAt", "required", "when they arrived, an ISO-8601 date-time with offset, not in the future"));
        }
        List<Parcel> waybills = arrival.waybills();
        if (waybills == null || waybills.isEmpty() || waybills.size() > MAX_WAYBILLS) {
            violations.add(new Violation("/waybills", "size", "1 to " + MAX_WAYBILLS + " parcels, each by its waybill"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < waybills.size(); i++) {
                Parcel p = waybills.get(i);
                if (p == null || p.logisticsCode() == null || !p.logisticsCode().matches("[0-9A-Z]{10}")) {
                    violations.add(new Violation("/waybills/" + i + "/logisticsCode", "pattern",
                            "the logistics firm's customs registration code: 10 digits or capital letters"));
                } else if (p.logisticsNo() == null || p.logisticsNo().isBlank() || p.logisticsNo().length() > 60) {
                    violations.add(new Violation("/waybills/" + i + "/logisticsNo", "maxLength", "the waybill number: 1 to 60 characters"));
                } else if (!seen.add(p.logisticsCode() + ":" + p.logisticsNo())) {
                    violations.add(new Violation("/waybills/" + i, "unique", "waybill " + p.logisticsNo() + " is named twice"));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
    }
}

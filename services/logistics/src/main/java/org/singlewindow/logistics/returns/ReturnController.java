package org.singlewindow.logistics.returns;

import io.swagger.v3.oas.annotations.tags.Tag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.ReturnLine;
import org.singlewindow.kit.GaugeReadings;
import org.singlewindow.agency.AgencyAnswers;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.agency.Decision;
import org.singlewindow.kit.security.Tenant;
import org.singlewindow.kit.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Returned goods coming back to the bonded zone (GACC 2018 No.194 item 12; 2020 No.45: within 45 days of release), once
 * customs has approved the return (its CEB625, answered CEB626; before that a report is a 409). The declarant or the
 * logistics firm of the declaration's waybill reports them arrived: the window asks customs to check them (original
 * state, fit for resale). Only once customs accepted them ({@code declaration.returned.v1}) does logistics put the
 * returned quantities back on the owner's accounts ({@link ReturnSettlement}); if customs refuses them, nothing goes
 * back. After the date they were due the return has lapsed (409). Logistics officers list the returns, the overdue
 * ones first ({@code overdue=true}: still expected, past their date); a gauge counts the overdue ones for an alert.
 */
@Tag(name = "Returns", description = "Returned goods arriving back in the bonded warehouse.")
@RestController
@RequestMapping(path = "/api/v1/logistics/returns", produces = MediaType.APPLICATION_JSON_VALUE)
class ReturnController {

    private final JdbcClient jdbc;
    private final AgencyAnswers answers;
    private final Clock clock;

    ReturnController(JdbcClient jdbc, AgencyAnswers answers, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.answers = answers;
        this.clock = clock;
        Gauge.builder("sw.logistics.returns.overdue", this, c -> c.overdueCount())
                .description("Returns whose goods were due back in the bonded zone and have not arrived").register(meters);
    }

    /**
     * A return as logistics follows it: {@code PENDING} (expected; {@code approvedAt} once customs approved it),
     * {@code ARRIVED} (reported back by {@code reportedBy}, awaiting customs' check), {@code RECEIVED} (accepted and back
     * on the owner's accounts) or {@code REFUSED} (by customs, {@code refusal} says why; nothing went back).
     */
    record ReturnView(UUID returnId, UUID declarationId, String logisticsNo, List<ReturnLine> lines, String reason,
                      OffsetDateTime requestedAt, OffsetDateTime receiveBy, String state, OffsetDateTime approvedAt,
                      OffsetDateTime arrivedAt, String reportedBy, OffsetDateTime receivedAt, OffsetDateTime refusedAt,
                      String refusal, boolean overdue) {
    }

    private record Row(UUID returnId, UUID declarationId, String logisticsNo, String logisticsCode, String declarant,
                       String lines, String reason, OffsetDateTime requestedAt, OffsetDateTime receiveBy, String state,
                       OffsetDateTime approvedAt, OffsetDateTime arrivedAt, String reportedBy, OffsetDateTime receivedAt,
                       OffsetDateTime refusedAt, String refusal, boolean directImport) {
    }

    private static final String SELECT = """
            select r.return_id, r.declaration_id, w.logistics_no, w.logistics_code, w.declarant, r.lines::text as lines, r.reason,
                   r.requested_at, r.receive_by, r.state, r.approved_at, r.arrived_at, r.reported_by, r.received_at,
                   r.refused_at, r.refusal, coalesce(w.direct_import, false) as direct_import
            from goods_return r left join waybill w on w.declaration_id = r.declaration_id""";

    @GetMapping
    List<ReturnView> list(@RequestParam(defaultValue = "false") boolean overdue) {
        return jdbc.sql(SELECT + (overdue ? " where r.state = 'PENDING' and r.receive_by < ?" : " where cast(? as timestamptz) is not null")
                        + " order by r.state = 'PENDING' desc, r.receive_by limit 500")
                .param(OffsetDateTime.now(clock)).query(Row.class).list().stream().map(this::view).toList();
    }

    /**
     * The goods of an approved return arrived back in the zone: recorded, and the window told (a return receipt 120),
     * which asks customs to check them. Reporting again changes nothing.
     */
    @PostMapping("/{returnId}/arrived")
    @Transactional
    ReturnView arrived(@PathVariable UUID returnId, @AuthenticationPrincipal Jwt token) {
        String enterprise = Tenant.enterpriseId(token);
        Row row = jdbc.sql(SELECT + " where r.return_id = ? for update of r").param(returnId).query(Row.class).optional()
                .filter(r -> enterprise.equals(r.declarant()) || enterprise.equals(r.logisticsCode()))
                .orElseThrow(() -> ApiException.notFound("return " + returnId));
        switch (row.state()) {
            case "ARRIVED", "RECEIVED" -> {
                return view(row); // reported already: the same report twice changes nothing
            }
            case "REFUSED" -> throw ApiException.conflict("return " + returnId + " was refused by customs (" + row.refusal()
                    + "): its goods are not taken back into the bonded zone");
            default -> {
            }
        }
        if (row.approvedAt() == null) {
            throw ApiException.conflict("return " + returnId + " is not approved by customs yet (its CEB625 waits for a customs "
                    + "officer's decision): its goods are received once customs has approved it");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (now.isAfter(row.receiveBy())) {
            throw ApiException.conflict("return " + returnId + " has lapsed: its goods had to be back in the bonded zone by "
                    + row.receiveBy() + " (45 days after release)");
        }
        for (ReturnLine line : row.directImport() ? List.<ReturnLine>of() : lines(row)) {
            if (ReturnSettlement.origin(jdbc, row.declarationId(), line.itemRecordNo()).isEmpty()) {
                throw ApiException.conflict("item " + line.itemRecordNo() + " of return " + returnId
                        + " did not leave a bonded account of this zone with its declaration");
            }
        }
        jdbc.sql("update goods_return set state = 'ARRIVED', arrived_at = ?, reported_by = ? where return_id = ?")
                .params(now, enterprise, returnId).update();
        answers.report(row.declarationId(), Receipt.Kind.RETURN, new Decision(ReceiptStatus.ACCEPTED, "GOODS_ARRIVED",
                "the returned goods arrived back in the bonded zone (reported by " + enterprise + "); they await customs' check",
                new ReceiptPayload.ReturnRef(returnId)));
        return view(jdbc.sql(SELECT + " where r.return_id = ?").param(returnId).query(Row.class).single());
    }

    private List<ReturnLine> lines(Row row) {
        return List.of(Json.mapper().readValue(row.lines(), ReturnLine[].class));
    }

    private ReturnView view(Row r) {
        boolean overdue = r.state().equals("PENDING") && OffsetDateTime.now(clock).isAfter(r.receiveBy());
        return new ReturnView(r.returnId(), r.declarationId(), r.logisticsNo(), lines(r), r.reason(), r.requestedAt(),
                r.receiveBy(), r.state(), r.approvedAt(), r.arrivedAt(), r.reportedBy(), r.receivedAt(), r.refusedAt(),
                r.refusal(), overdue);
    }

    private double overdueCount() {
        return GaugeReadings.orNaN(() -> jdbc.sql("select count(*) from goods_return where state = 'PENDING' and receive_by < ?")
                .param(OffsetDateTime.now(clock)).query(Long.class).single());
    }
}

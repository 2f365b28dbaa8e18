package org.singlewindow.logistics.returns;

import io.swagger.v3.oas.annotations.tags.Tag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.ReturnLine;
import org.singlewindow.kit.GaugeReadings;
import org.singlewindow.kit.agency.AgencyIntake;
import org.singlewindow.kit.agency.Settlement;
import org.singlewindow.kit.security.Tenant;
import org.singlewindow.kit.web.ApiException;
import org.singlewindow.logistics.stock.BondedStock;
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

import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Returned goods coming back to the bonded zone (GACC 2018 No.194 §12: within 45 days of release), once customs has
 * approved the return (its CEB625, answered CEB626; before that a report is a 409). The
 * declarant or the logistics firm of the declaration's waybill reports them received: the returned
 * quantities go back on the owner's accounts and the window is told (a return receipt, 905), which asks the
 * other agencies to settle the returned lines. After the date they were due the return has lapsed (409).
 * Logistics officers list the returns, the overdue ones first ({@code overdue=true}: still expected, past
 * their date); a gauge counts the overdue ones for an alert.
 */
@Tag(name = "Returns", description = "Returned goods received back into the bonded warehouse.")
@RestController
@RequestMapping(path = "/api/v1/logistics/returns", produces = MediaType.APPLICATION_JSON_VALUE)
class ReturnController {

    private final JdbcClient jdbc;
    private final BondedStock stock;
    private final AgencyIntake intake;
    private final Clock clock;

    ReturnController(JdbcClient jdbc, BondedStock stock, AgencyIntake intake, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.stock = stock;
        this.intake = intake;
        this.clock = clock;
        Gauge.builder("sw.logistics.returns.overdue", this, c -> c.overdueCount())
                .description("Returns whose goods were due back in the bonded zone and have not arrived").register(meters);
    }

    /** {@code approvedAt}: when customs approved the return; its goods are received only after. */
    record ReturnView(UUID returnId, UUID declarationId, String logisticsNo, List<ReturnLine> lines, String reason,
                      OffsetDateTime requestedAt, OffsetDateTime receiveBy, String state, OffsetDateTime receivedAt,
                      String receivedBy, boolean overdue, OffsetDateTime approvedAt) {
    }

    private record Row(UUID returnId, UUID declarationId, String logisticsNo, String logisticsCode, String declarant,
                       String lines, String reason, OffsetDateTime requestedAt, OffsetDateTime receiveBy, String state,
                       OffsetDateTime receivedAt, String receivedBy, OffsetDateTime approvedAt) {
    }

    private static final String SELECT = """
            select r.return_id, r.declaration_id, w.logistics_no, w.logistics_code, w.declarant, r.lines::text as lines, r.reason,
                   r.requested_at, r.receive_by, r.state, r.received_at, r.received_by, r.approved_at
            from goods_return r left join waybill w on w.declaration_id = r.declaration_id""";

    @GetMapping
    List<ReturnView> list(@RequestParam(defaultValue = "false") boolean overdue) {
        return jdbc.sql(SELECT + (overdue ? " where r.state = 'PENDING' and r.receive_by < ?" : " where cast(? as timestamptz) is not null")
                        + " order by r.state = 'PENDING' desc, r.receive_by limit 500")
                .param(OffsetDateTime.now(clock)).query(Row.class).list().stream().map(this::view).toList();
    }

    @PostMapping("/{returnId}/received")
    @Transactional
    ReturnView received(@PathVariable UUID returnId, @AuthenticationPrincipal Jwt token) {
        String enterprise = Tenant.enterpriseId(token);
        Row row = jdbc.sql(SELECT + " where r.return_id = ? for update of r").param(returnId).query(Row.class).optional()
                .filter(r -> enterprise.equals(r.declarant()) || enterprise.equals(r.logisticsCode()))
                .orElseThrow(() -> ApiException.notFound("return " + returnId));
        if (row.state().equals("RECEIVED")) {
            return view(row); // reported already: the same report twice changes nothing
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
        List<ReturnLine> lines = lines(row);
        BigDecimal total = BigDecimal.ZERO;
        for (ReturnLine line : lines) {
            record Origin(String warehouseCode, String ownerCode) {
            }
            Origin origin = jdbc.sql("""
                            select warehouse_code, owner_code from stock_reservation
                            where declaration_id = ? and item_record_no = ? and state = 'DEDUCTED'""")
                    .params(row.declarationId(), line.itemRecordNo()).query(Origin.class).optional()
                    .orElseThrow(() -> ApiException.conflict("item " + line.itemRecordNo() + " of return " + returnId
                            + " did not leave a bonded account of this zone with its declaration"));
            stock.returnGoods(new BondedStock.Account(origin.warehouseCode(), origin.ownerCode(), line.itemRecordNo()),
                    line.quantity(), row.declarationId(), now);
            total = total.add(line.quantity());
        }
        jdbc.sql("update goods_return set state = 'RECEIVED', received_at = ?, received_by = ? where return_id = ?")
                .params(now, enterprise, returnId).update();
        intake.reportReturn(row.declarationId(), returnId, new Settlement("STOCK_RETURNED",
                total.stripTrailingZeros().toPlainString() + " returned unit(s) received back on the owner's bonded account(s)"));
        return view(jdbc.sql(SELECT + " where r.return_id = ?").param(returnId).query(Row.class).single());
    }

    private List<ReturnLine> lines(Row row) {
        return List.of(Json.mapper().readValue(row.lines(), ReturnLine[].class));
    }

    private ReturnView view(Row r) {
        boolean overdue = r.state().equals("PENDING") && OffsetDateTime.now(clock).isAfter(r.receiveBy());
        return new ReturnView(r.returnId(), r.declarationId(), r.logisticsNo(), lines(r), r.reason(), r.requestedAt(),
                r.receiveBy(), r.state(), r.receivedAt(), r.receivedBy(), overdue, r.approvedAt());
    }

    private double overdueCount() {
        return GaugeReadings.orNaN(() -> jdbc.sql("select count(*) from goods_return where state = 'PENDING' and receive_by < ?")
                .param(OffsetDateTime.now(clock)).query(Long.class).single());
    }
}

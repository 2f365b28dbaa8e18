package org.singlewindow.declaration.intake;

import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.DeclarationReturnRequested;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.ReturnLine;
import org.singlewindow.contract.Violation;
import org.singlewindow.declaration.lifecycle.DeclarationRecords;
import org.singlewindow.declaration.lifecycle.DeclarationStatus;
import org.singlewindow.kit.messaging.Logging;
import org.singlewindow.kit.web.ApiException;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Returns of some lines of a cleared declaration (退货, GACC 2018 No.194 §12): applied for within
 * {@code sw.returns.apply-within} (30 days) of release, once the goods have left the bonded zone (before
 * that a withdrawal is the way); the goods must be back in the zone within {@code sw.returns.receive-within}
 * (45 days) of release. The application goes to every agency ({@code declaration.return-requested.v1});
 * logistics reports the goods received, then every agency settles the returned lines ({@code ReceiptIntake}).
 * A line may be returned in parts, never beyond what was declared.
 */
@Service
public class Returns {

    private final JdbcClient jdbc;
    private final DeclarationRecords records;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Duration applyWithin;
    private final Duration receiveWithin;

    public Returns(JdbcClient jdbc, DeclarationRecords records, MeterRegistry meters, Clock clock,
                   @Value("${sw.returns.apply-within:P30D}") Duration applyWithin,
                   @Value("${sw.returns.receive-within:P45D}") Duration receiveWithin) {
        this.jdbc = jdbc;
        this.records = records;
        this.meters = meters;
        this.clock = clock;
        this.applyWithin = applyWithin;
        this.receiveWithin = receiveWithin;
    }

    /** What the enterprise asks to return: lines of the declaration by {@code gnum}, how many of each, why. */
    public record Application(List<Line> lines, String reason) {
        public record Line(Integer gnum, BigDecimal quantity) {
        }
    }

    @Transactional
    public UUID apply(UUID declarationId, String enterpriseId, Application application) {
        MDC.put(Logging.DECLARATION_ID, declarationId.toString());
        String reason = validate(application);
        record Row(String status, OffsetDateTime finalAt, OffsetDateTime leftZoneAt, String body) {
        }
        Row row = jdbc.sql("""
                        select status, final_at, left_zone_at, body::text as body from declaration
                        where id = ? and enterprise_id = ? for update""")
                .params(declarationId, enterpriseId).query(Row.class).optional()
                .orElseThrow(() -> ApiException.notFound("declaration " + declarationId));
        DeclarationStatus status = DeclarationStatus.valueOf(row.status());
        if (status != DeclarationStatus.CLEARED) {
            throw ApiException.conflict("declaration " + declarationId + " is " + status + ": only a cleared declaration's goods can be returned");
        }
        if (row.leftZoneAt() == null) {
            throw ApiException.conflict("the goods of declaration " + declarationId
                    + " have not left the bonded zone: withdraw the declaration instead (POST /api/v1/declarations/"
                    + declarationId + "/withdrawal)");
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        OffsetDateTime lastDay = row.finalAt().plus(applyWithin);
        if (now.isAfter(lastDay)) {
            throw ApiException.conflict("declaration " + declarationId + " was released at " + row.finalAt()
                    + "; a return must be applied for within " + applyWithin.toDays() + " days of release (by " + lastDay + ")");
        }
        List<ReturnLine> lines = lines(declarationId, application, row.body());
        UUID returnId = UUID.randomUUID();
        OffsetDateTime receiveBy = row.finalAt().plus(receiveWithin);
        records.returnApplied(new DeclarationReturnRequested(declarationId, returnId, lines, reason, receiveBy, now),
                "return " + returnId + " of " + describe(lines) + " applied for: " + reason
                        + "; the goods are due back in the bonded zone by " + receiveBy);
        meters.counter("sw.declarations.returns", "result", "requested").increment();
        return returnId;
    }

    private static String validate(Application application) {
        List<Violation> violations = new ArrayList<>();
        String reason = application == null || application.reason() == null ? "" : application.reason().strip();
        if (reason.isEmpty()) {
            violations.add(new Violation("/reason", "required", "say why the goods are returned"));
        } else if (reason.length() > 500) {
            violations.add(new Violation("/reason", "maxLength", "at most 500 characters"));
        }
        if (application == null || application.lines() == null || application.lines().isEmpty()) {
            violations.add(new Violation("/lines", "minItems", "name at least one line (gnum) and the quantity returned"));
        } else {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < application.lines().size(); i++) {
                Application.Line line = application.lines().get(i);
                if (line == null || line.gnum() == null) {
                    violations.add(new Violation("/lines/" + i + "/gnum", "required", "the declaration's line number"));
                } else if (!seen.add(line.gnum())) {
                    violations.add(new Violation("/lines/" + i + "/gnum", "uniqueItems", "line " + line.gnum() + " is named twice"));
                }
                if (line == null || line.quantity() == null || line.quantity().signum() <= 0 || line.quantity().scale() > 4) {
                    violations.add(new Violation("/lines/" + i + "/quantity", "exclusiveMinimum",
                            "more than 0, at most 4 decimals"));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        return reason;
    }

    /** The application's lines against the declaration: each line exists, and no more comes back than was declared. */
    private List<ReturnLine> lines(UUID declarationId, Application application, String body) {
        JsonNode items = Json.mapper().readTree(body).path("items");
        Map<Integer, BigDecimal> returnedBefore = new HashMap<>();
        jdbc.sql("""
                        select (l->>'gnum')::int, sum((l->>'quantity')::numeric) from declaration_return, jsonb_array_elements(lines) l
                        where declaration_id = ? and state <> 'REFUSED' group by 1""")
                .param(declarationId).query((rs, n) -> returnedBefore.put(rs.getInt(1), rs.getBigDecimal(2))).list();
        List<ReturnLine> lines = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < application.lines().size(); i++) {
            Application.Line line = application.lines().get(i);
            JsonNode item = null;
            for (JsonNode candidate : items) {
                if (candidate.path("gnum").asInt(-1) == line.gnum()) {
                    item = candidate;
                }
            }
            if (item == null) {
                violations.add(new Violation("/lines/" + i + "/gnum", "exists", "declaration " + declarationId + " has no line " + line.gnum()));
                continue;
            }
            BigDecimal declared = item.path("quantity").decimalValue();
            BigDecimal left = declared.subtract(returnedBefore.getOrDefault(line.gnum(), BigDecimal.ZERO));
            if (line.quantity().compareTo(left) > 0) {
                violations.add(new Violation("/lines/" + i + "/quantity", "maximum", "line " + line.gnum() + " declared "
                        + declared.stripTrailingZeros().toPlainString() + ", of which " + left.stripTrailingZeros().toPlainString()
                        + " can still be returned"));
                continue;
            }
            lines.add(new ReturnLine(line.gnum(), item.path("itemRecordNo").asString(), line.quantity(), declared));
        }
        if (!violations.isEmpty()) {
            throw new ApiException(org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT, "Lines that cannot be returned",
                    "every line of a return must be a line of the declaration, and no more than is left of it", violations);
        }
        return lines;
    }

    static String describe(List<ReturnLine> lines) {
        return String.join(", ", lines.stream().map(l -> l.quantity().stripTrailingZeros().toPlainString() + " of line "
                + l.gnum() + " (" + l.itemRecordNo() + ")").toList());
    }
}

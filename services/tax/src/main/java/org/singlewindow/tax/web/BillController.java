package org.singlewindow.tax.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.kit.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The tax back-office: the assessment and, once cleared, the tax bill of a declaration. */
@Tag(name = "Tax statements", description = "A declaration's tax bill.")
@RestController
@RequestMapping(path = "/api/v1/tax/declarations/{declarationId}", produces = MediaType.APPLICATION_JSON_VALUE)
class BillController {

    private final JdbcClient jdbc;

    BillController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Assessment(String regime, BigDecimal transactionValue, BigDecimal tariff, BigDecimal consumption, BigDecimal vat,
                      BigDecimal total, String tariffVersion, OffsetDateTime assessedAt, String state) {
    }

    /**
     * The bill as issued at clearance ({@code total}), what was voided since — returned lines' tax, or all of it
     * on a withdrawal — and what is owed now ({@code total - voided}).
     */
    record Bill(String billNo, String enterpriseId, BigDecimal tariff, BigDecimal consumption, BigDecimal vat,
                BigDecimal total, OffsetDateTime issuedAt, BigDecimal voided, BigDecimal owed, OffsetDateTime voidedAt,
                String voidReason, List<Returned> returns) {
    }

    /** A return of some lines: their tax voided, their value taken out of the consumer's year. */
    record Returned(UUID returnId, BigDecimal tax, BigDecimal amount, OffsetDateTime returnedAt) {
    }

    record TaxView(Assessment assessment, Bill bill) {
    }

    @GetMapping("/tax")
    TaxView tax(@PathVariable UUID declarationId) {
        Assessment assessment = jdbc.sql("""
                        select regime, transaction_value, tariff, consumption, vat, total, tariff_version, assessed_at, state
                        from tax_assessment where declaration_id = ?""")
                .param(declarationId).query(Assessment.class).optional()
                .orElseThrow(() -> ApiException.notFound("tax assessment of declaration " + declarationId));
        List<Returned> returns = jdbc.sql("""
                        select return_id, tax, amount, returned_at from tax_return where declaration_id = ? order by returned_at""")
                .param(declarationId).query(Returned.class).list();
        Bill bill = jdbc.sql("""
                        select b.bill_no, b.enterprise_id, b.tariff, b.consumption, b.vat, b.total, b.issued_at,
                               case when b.voided_at is not null then b.total else a.voided end as voided,
                               case when b.voided_at is not null then 0 else b.total - a.voided end as owed,
                               b.voided_at, b.void_reason
                        from tax_bill b join tax_assessment a on a.declaration_id = b.declaration_id
                        where b.declaration_id = ?""")
                .param(declarationId)
                .query((rs, n) -> new Bill(rs.getString(1), rs.getString(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                        rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getObject(7, OffsetDateTime.class), rs.getBigDecimal(8),
                        rs.getBigDecimal(9), rs.getObject(10, OffsetDateTime.class), rs.getString(11), returns))
                .optional().orElse(null);
        return new TaxView(assessment, bill);
    }
}

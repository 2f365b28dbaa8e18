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

    record Bill(String billNo, String enterpriseId, BigDecimal tariff, BigDecimal consumption, BigDecimal vat,
                BigDecimal total, OffsetDateTime issuedAt) {
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
        Bill bill = jdbc.sql("""
                        select bill_no, enterprise_id, tariff, consumption, vat, total, issued_at from tax_bill where declaration_id = ?""")
                .param(declarationId).query(Bill.class).optional().orElse(null);
        return new TaxView(assessment, bill);
    }
}

package org.singlewindow.tax.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.contract.Violation;
import org.singlewindow.kit.web.ApiException;
import org.singlewindow.tax.assessment.Assessor;
import org.singlewindow.tax.assessment.ComprehensiveTax;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a platform shows at checkout: the comprehensive tax of a draft order, item by item. It reads
 * the tariff in force and touches no ledger, account or bill.
 */
@Tag(name = "Tax quotes", description = "The cross-border retail import tax of a basket before it is bought (a checkout calculator).")
@RestController
@RequestMapping("/api/v1/tax/quotes")
class QuoteController {

    private static final Pattern HS = Pattern.compile("[0-9]{10}");
    private static final Pattern UNIT = Pattern.compile("[0-9]{3}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("10000000");

    private final Assessor assessor;

    QuoteController(Assessor assessor) {
        this.assessor = assessor;
    }

    /** A line to quote; {@code qty1}/{@code unit1}, the legal quantity, is the content of cosmetics sold by the piece. */
    record QuoteItem(String hsCode, BigDecimal quantity, String unit, BigDecimal qty1, String unit1, BigDecimal unitPrice) {
    }

    record QuoteRequest(List<QuoteItem> items, BigDecimal freight, BigDecimal insurance) {
    }

    record Quote(String currency, String tariffVersion, ComprehensiveTax.Assessment assessment) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Quote quote(@RequestBody QuoteRequest request) {
        List<Violation> violations = new ArrayList<>();
        List<QuoteItem> items = request.items() == null ? List.of() : request.items();
        if (items.isEmpty() || items.size() > 100) {
            violations.add(new Violation("/items", "size", "between 1 and 100 items"));
        }
        List<ComprehensiveTax.Line> lines = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            QuoteItem item = items.get(i);
            String at = "/items/" + i;
            if (item == null) {
                violations.add(new Violation(at, "required", "an item is required"));
                continue;
            }
            if (item.hsCode() == null || !HS.matcher(item.hsCode()).matches()) {
                violations.add(new Violation(at + "/hsCode", "pattern", "10 digits"));
            }
            if (item.unit() == null || !UNIT.matcher(item.unit()).matches()) {
                violations.add(new Violation(at + "/unit", "pattern", "a 3-digit customs unit code"));
            }
            if (item.unit1() != null && !UNIT.matcher(item.unit1()).matches()) {
                violations.add(new Violation(at + "/unit1", "pattern", "a 3-digit customs unit code"));
            }
            if ((item.qty1() == null) != (item.unit1() == null)) {
                violations.add(new Violation(at + (item.qty1() == null ? "/qty1" : "/unit1"), "required",
                        "the legal quantity and its unit go together"));
            }
            amount(violations, at + "/quantity", item.quantity(), false);
            amount(violations, at + "/qty1", item.qty1(), true);
            amount(violations, at + "/unitPrice", item.unitPrice(), false);
            if (violations.isEmpty()) {
                lines.add(new ComprehensiveTax.Line(i + 1, item.hsCode(), item.quantity(), item.unit(), item.qty1(), item.unit1(),
                        item.unitPrice(), item.quantity().multiply(item.unitPrice()).setScale(2, RoundingMode.HALF_UP)));
            }
        }
        amount(violations, "/freight", request.freight(), true);
        amount(violations, "/insurance", request.insurance(), true);
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        try {
            return new Quote("CNY", assessor.tariffVersion(), assessor.assess(lines, request.freight(), request.insurance()));
        } catch (ComprehensiveTax.NotAssessable e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Not assessable in this channel", e.getMessage(),
                    List.of(new Violation(e.field(), e.reasonCode(), e.getMessage())));
        }
    }

    private static void amount(List<Violation> violations, String field, BigDecimal value, boolean optional) {
        if (value == null) {
            if (!optional) {
                violations.add(new Violation(field, "required", "is required"));
            }
            return;
        }
        if (optional ? value.signum() < 0 : value.signum() <= 0) {
            violations.add(new Violation(field, "minimum", optional ? "must not be negative" : "must be positive"));
        } else if (value.compareTo(MAX_AMOUNT) > 0) {
            violations.add(new Violation(field, "maximum", "at most " + MAX_AMOUNT));
        } else if (value.scale() > 4) {
            violations.add(new Violation(field, "scale", "at most 4 decimal places"));
        }
    }
}

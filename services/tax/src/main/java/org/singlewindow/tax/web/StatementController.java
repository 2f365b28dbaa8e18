package org.singlewindow.tax.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.kit.security.Tenant;
import org.singlewindow.kit.web.ApiException;
import org.singlewindow.tax.period.TaxStatements;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Tax statements (the electronic tax bill of a period, CEB816): a withholding agent reads its own
 * ({@code /api/v1/tax/statements}); finance administrators read every agent's, the overdue ones first if
 * asked, and record a payment ({@code /api/v1/admin/tax/tax-statements}).
 */
@Tag(name = "Tax statements", description = "The tax period: statements of tax withheld, due and paid.")
@RestController
class StatementController {

    private static final Pattern STATEMENT = Pattern.compile("TS[0-9]{16}");

    private final TaxStatements statements;

    StatementController(TaxStatements statements) {
        this.statements = statements;
    }

    @GetMapping(path = "/api/v1/tax/statements", produces = MediaType.APPLICATION_JSON_VALUE)
    List<TaxStatements.Statement> mine(@AuthenticationPrincipal Jwt token) {
        return statements.list(Tenant.enterpriseId(token), false);
    }

    @GetMapping(path = "/api/v1/admin/tax/tax-statements", produces = MediaType.APPLICATION_JSON_VALUE)
    List<TaxStatements.Statement> all(@RequestParam(required = false) String assureCode,
                                      @RequestParam(defaultValue = "false") boolean overdue) {
        if (assureCode != null && !assureCode.matches("[0-9A-Z]{10}")) {
            throw ApiException.invalid("assureCode", "pattern", "10 digits or capital letters");
        }
        return statements.list(assureCode, overdue);
    }

    @GetMapping(path = "/api/v1/admin/tax/tax-statements/{statementNo}", produces = MediaType.APPLICATION_JSON_VALUE)
    TaxStatements.Statement one(@PathVariable String statementNo) {
        check(statementNo);
        return statements.find(statementNo).orElseThrow(() -> ApiException.notFound("tax statement " + statementNo));
    }

    /** Body of a payment: the bank's or treasury's reference of the transfer. */
    record Payment(String reference) {
    }

    @PostMapping(path = "/api/v1/admin/tax/tax-statements/{statementNo}/payment", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Transactional
    TaxStatements.Statement pay(@PathVariable String statementNo, @RequestBody Payment payment, Authentication who) {
        check(statementNo);
        String reference = payment == null || payment.reference() == null ? "" : payment.reference().strip();
        if (reference.isEmpty() || reference.length() > 100) {
            throw ApiException.invalid("/reference", "required", "the transfer's reference, 1 to 100 characters");
        }
        return statements.pay(statementNo, who.getName(), reference);
    }

    private static void check(String statementNo) {
        if (!STATEMENT.matcher(statementNo).matches()) {
            throw ApiException.invalid("statementNo", "pattern", "TS, then 16 digits");
        }
    }
}

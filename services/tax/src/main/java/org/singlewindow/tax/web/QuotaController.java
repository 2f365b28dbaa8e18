package org.singlewindow.tax.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.agency.AgencyCases;
import org.singlewindow.contract.ResidentId;
import org.singlewindow.kit.web.ApiException;
import org.singlewindow.tax.ledger.ConsumerLedger;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.Year;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A consumer's own yearly total in the cross-border retail channel, as China's public quota query
 * offers it: the limit, what is used and left, and each purchase counted toward it. The consumer is
 * the token's {@code id_number} (a {@code consumer}'s attribute in the realm), never a parameter: no
 * one can look up another person's purchases.
 */
@Tag(name = "Consumers", description = "A consumer's own yearly total in the channel: used, left, and the purchases counted.")
@RestController
class QuotaController {

    /** The realm attribute (and token claim) of a consumer's resident ID number. */
    static final String CLAIM = "id_number";
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final ConsumerLedger ledger;
    private final AgencyCases cases;

    QuotaController(ConsumerLedger ledger, AgencyCases cases) {
        this.ledger = ledger;
        this.cases = cases;
    }

    /** The year's limit, what is used and left, and each purchase counted toward it. */
    record Quota(int year, String currency, BigDecimal limit, BigDecimal used, BigDecimal left,
                 List<ConsumerLedger.Entry> purchases) {
    }

    @GetMapping(path = "/api/v1/tax/my-quota", produces = MediaType.APPLICATION_JSON_VALUE)
    Quota mine(@AuthenticationPrincipal Jwt token, @RequestParam(required = false) Integer year) {
        String idNumber = token.getClaimAsString(CLAIM);
        if (idNumber == null || !ResidentId.isValid(idNumber)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Forbidden",
                    "the token carries no valid id_number; ask the realm administrator to set it on the consumer", List.of());
        }
        int current = Year.now(CHINA).getValue();
        int asked = year == null ? current : year;
        if (asked < 2016 || asked > current) {
            // the channel's yearly limit exists since 2016
            throw ApiException.invalid("year", "range", "must be between 2016 and " + current);
        }
        ConsumerLedger.ConsumerYear counted = ledger.yearOf(idNumber, asked);
        BigDecimal left = ledger.limit().subtract(counted.used()).max(BigDecimal.ZERO);
        Map<UUID, AgencyCases.Order> orders = cases.orders(counted.entries().stream().map(ConsumerLedger.Entry::declarationId).toList());
        List<ConsumerLedger.Entry> purchases = counted.entries().stream().map(e -> {
            AgencyCases.Order order = orders.get(e.declarationId());
            return order == null ? e : e.of(order.ebpCode(), order.orderNo());
        }).toList();
        return new Quota(asked, "CNY", ledger.limit(), counted.used(), left, purchases);
    }
}

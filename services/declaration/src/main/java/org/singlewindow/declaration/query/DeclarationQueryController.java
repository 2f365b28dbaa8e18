package org.singlewindow.declaration.query;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.declaration.ceb.Ceb622;
import org.singlewindow.declaration.ceb.ReceiptSigning;
import org.singlewindow.declaration.lifecycle.DeclarationStatus;
import org.singlewindow.kit.security.Tenant;
import org.singlewindow.kit.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/** Status, receipts and timeline of the calling enterprise's declarations (another's are not found). */
@Tag(name = "Declarations", description = "Declarations: file once, follow every agency, amend, cancel, withdraw, return.")
@RestController
@RequestMapping(path = "/api/v1/declarations", produces = MediaType.APPLICATION_JSON_VALUE)
class DeclarationQueryController {

    private final DeclarationQueries queries;

    private final ReceiptSigning signing;

    DeclarationQueryController(DeclarationQueries queries, ReceiptSigning signing) {
        this.queries = queries;
        this.signing = signing;
    }

    @GetMapping("/{id}")
    DeclarationView get(@AuthenticationPrincipal Jwt token, @PathVariable UUID id) {
        return queries.get(id, Tenant.enterpriseId(token));
    }

    /** The receipts of a declaration of the caller's, in the order the agencies decided. */
    @GetMapping("/{id}/receipts")
    java.util.List<DeclarationView.ReceiptView> receipts(@AuthenticationPrincipal Jwt token, @PathVariable UUID id) {
        return queries.get(id, Tenant.enterpriseId(token)).receipts();
    }

    /**
     * The list's status as customs reports it ({@code Accept: application/xml}): customs' inventory return message,
     * one return per status the list went through, the agencies' answers folded into them ({@link Ceb622}).
     */
    @GetMapping(path = "/{id}/receipts", produces = MediaType.APPLICATION_XML_VALUE)
    org.springframework.http.ResponseEntity<byte[]> receiptsAsCeb622(@AuthenticationPrincipal Jwt token, @PathVariable UUID id) {
        DeclarationView view = queries.get(id, Tenant.enterpriseId(token));
        byte[] xml = Ceb622.render(UUID.randomUUID(), Ceb622.Inventory.of(view, queries.cebCopNo(id)), Ceb622.statuses(view));
        return org.springframework.http.ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(signing.sign(xml));
    }

    /** One return of a declaration of the caller's (404 for another's, or a return of another declaration). */
    @GetMapping("/{id}/returns/{returnId}")
    DeclarationView.ReturnView returnOf(@AuthenticationPrincipal Jwt token, @PathVariable UUID id, @PathVariable UUID returnId) {
        return queries.get(id, Tenant.enterpriseId(token)).returns().stream().filter(r -> r.returnId().equals(returnId))
                .findFirst().orElseThrow(() -> org.singlewindow.kit.web.ApiException.notFound("return " + returnId));
    }

    @GetMapping
    DeclarationQueries.Page list(@AuthenticationPrincipal Jwt token,
                                 @RequestParam(required = false) String status,
                                 @RequestParam(required = false) String from,
                                 @RequestParam(required = false) String to,
                                 @RequestParam(required = false) String orderNo,
                                 @RequestParam(defaultValue = "0") int page,
                                 @RequestParam(defaultValue = "20") int size) {
        String statusName = null;
        if (status != null) {
            try {
                statusName = DeclarationStatus.valueOf(status.toUpperCase(Locale.ROOT)).name();
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("status", "enum", "must be one of " + Arrays.toString(DeclarationStatus.values()));
            }
        }
        if (page < 0) {
            throw ApiException.invalid("page", "minimum", "must be 0 or more");
        }
        if (size < 1 || size > 200) {
            throw ApiException.invalid("size", "range", "must be between 1 and 200");
        }
        OffsetDateTime fromTime = time("from", from);
        OffsetDateTime toTime = time("to", to);
        if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
            throw ApiException.invalid("from", "order", "must be before 'to'");
        }
        if (orderNo != null && !orderNo.matches("[A-Za-z0-9_-]{1,60}")) {
            throw ApiException.invalid("orderNo", "pattern", "the order number or its beginning: 1 to 60 letters, digits, _ or -");
        }
        return queries.list(Tenant.enterpriseId(token), statusName, fromTime, toTime, orderNo, page, size);
    }

    private static OffsetDateTime time(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, "format", "must be an RFC 3339 date-time, e.g. 2026-11-28T00:00:00Z");
        }
    }
}

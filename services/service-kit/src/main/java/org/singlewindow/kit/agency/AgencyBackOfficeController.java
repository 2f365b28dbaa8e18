package org.singlewindow.kit.agency;

import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.kit.clients.declaration.DeclarationClient;
import org.singlewindow.kit.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The agency back-office: what it received, its status, every receipt it sent, the window's
 * consolidated status (read from the declaration service, service to service), and officers'
 * audited decisions on held declarations.
 */
@RestController
@RequestMapping("/api/v1/${sw.agency}/declarations")
public class AgencyBackOfficeController {

    private final JdbcClient jdbc;
    private final DeclarationClient declarations;
    private final AgencyIntake intake;
    private final TransactionTemplate tx;

    public AgencyBackOfficeController(JdbcClient jdbc, DeclarationClient declarations, AgencyIntake intake,
                                      TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.declarations = declarations;
        this.intake = intake;
        this.tx = tx;
    }

    public record CaseSummary(UUID declarationId, String enterpriseId, String declarationType, String ebpCode,
                              String orderNo, String status, String reasonCode, OffsetDateTime receivedAt,
                              OffsetDateTime decidedAt) {
    }

    public record SentReceipt(UUID receiptId, String kind, String status, int statusCode, String reasonCode,
                              String message, OffsetDateTime decidedAt, String payload) {
    }

    public record Review(String officer, String decision, String reason, OffsetDateTime decidedAt) {
    }

    public record CaseDetail(CaseSummary summary, List<SentReceipt> receipts, List<Review> reviews) {
    }

    /** An officer's decision on a held declaration. */
    public record ReviewRequest(String decision, String reason) {
    }

    @GetMapping
    public Map<String, Object> list(@RequestParam(required = false) String status,
                                    @RequestParam(defaultValue = "0") int page,
                                    @RequestParam(defaultValue = "50") int size) {
        if (page < 0) {
            throw ApiException.invalid("page", "minimum", "must be 0 or more");
        }
        if (size < 1 || size > 200) {
            throw ApiException.invalid("size", "range", "must be between 1 and 200");
        }
        String statusName = null;
        if (status != null) {
            try {
                statusName = ReceiptStatus.valueOf(status.toUpperCase(Locale.ROOT)).name();
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("status", "enum", "must be one of " + List.of(ReceiptStatus.values()));
            }
        }
        List<CaseSummary> items = jdbc.sql("""
                        select declaration_id, enterprise_id, declaration_type, ebp_code, order_no, status, reason_code,
                               received_at, decided_at
                        from received_declaration where (cast(? as text) is null or status = ?)
                        order by received_at desc limit ? offset ?""")
                .params(statusName, statusName, size, (long) page * size)
                .query(CaseSummary.class).list();
        return Map.of("items", items, "page", page, "size", size);
    }

    @GetMapping("/{declarationId}")
    public CaseDetail get(@PathVariable UUID declarationId) {
        CaseSummary summary = jdbc.sql("""
                        select declaration_id, enterprise_id, declaration_type, ebp_code, order_no, status, reason_code,
                               received_at, decided_at
                        from received_declaration where declaration_id = ?""")
                .param(declarationId).query(CaseSummary.class).optional()
                .orElseThrow(() -> ApiException.notFound("declaration " + declarationId));
        List<SentReceipt> receipts = jdbc.sql("""
                        select receipt_id, kind, status, status_code, reason_code, message, decided_at, payload::text as payload
                        from sent_receipt where declaration_id = ? order by decided_at, kind""")
                .param(declarationId).query(SentReceipt.class).list();
        List<Review> reviews = jdbc.sql("""
                        select officer, decision, reason, decided_at from review_decision where declaration_id = ? order by id""")
                .param(declarationId).query(Review.class).list();
        return new CaseDetail(summary, receipts, reviews);
    }

    /** Where the declaration stands at the window: every agency's decision, as the declaration service consolidates it. */
    @GetMapping("/{declarationId}/window-status")
    public DeclarationClient.WindowStatus windowStatus(@PathVariable UUID declarationId) {
        boolean received = jdbc.sql("select count(*) from received_declaration where declaration_id = ?")
                .param(declarationId).query(Long.class).single() > 0;
        if (!received) {
            throw ApiException.notFound("declaration " + declarationId);
        }
        return declarations.windowStatus(declarationId);
    }

    /**
     * Settle a declaration held for manual review (300) or inspection (500): release (800) or reject
     * (100) with a reason. Audited (who, when, what, why); the decision goes to the window as a receipt.
     */
    @PostMapping(path = "/{declarationId}/review", consumes = MediaType.APPLICATION_JSON_VALUE)
    public CaseDetail review(@PathVariable UUID declarationId, @RequestBody ReviewRequest request, Authentication officer) {
        String decision = request.decision() == null ? "" : request.decision().toUpperCase(Locale.ROOT);
        if (!decision.equals("RELEASE") && !decision.equals("REJECT")) {
            throw ApiException.invalid("/decision", "enum", "must be RELEASE or REJECT");
        }
        String reason = request.reason() == null ? "" : request.reason().strip();
        if (reason.length() < 3 || reason.length() > 500) {
            throw ApiException.invalid("/reason", "length", "a reason of 3 to 500 characters is required");
        }
        tx.executeWithoutResult(status -> {
            String current = jdbc.sql("select status from received_declaration where declaration_id = ? for update")
                    .param(declarationId).query(String.class).optional()
                    .orElseThrow(() -> ApiException.notFound("declaration " + declarationId));
            if (!ReceiptStatus.valueOf(current).isHold()) {
                throw ApiException.conflict("declaration " + declarationId + " is " + current + ", not held; nothing to review");
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            jdbc.sql("insert into review_decision (declaration_id, officer, decision, reason, decided_at) values (?, ?, ?, ?, ?)")
                    .params(declarationId, officer.getName(), decision, reason, now).update();
            intake.settle(declarationId, decision.equals("RELEASE")
                    ? new Decision(ReceiptStatus.RELEASED, "OFFICER_RELEASED", "released by an officer: " + reason, null)
                    : new Decision(ReceiptStatus.REJECTED, "OFFICER_REJECTED", "rejected by an officer: " + reason, null));
        });
        return get(declarationId);
    }
}

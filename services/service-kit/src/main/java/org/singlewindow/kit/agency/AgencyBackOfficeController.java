package org.singlewindow.kit.agency;

import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.kit.clients.declaration.DeclarationClient;
import org.singlewindow.kit.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The agency back-office's read side: what it received, its status, every receipt it sent, and the
 * window's consolidated status (read from the declaration service, service to service).
 */
@RestController
@RequestMapping("/api/v1/${sw.agency}/declarations")
public class AgencyBackOfficeController {

    private final JdbcClient jdbc;
    private final DeclarationClient declarations;

    public AgencyBackOfficeController(JdbcClient jdbc, DeclarationClient declarations) {
        this.jdbc = jdbc;
        this.declarations = declarations;
    }

    public record CaseSummary(UUID declarationId, String enterpriseId, String declarationType, String ebpCode,
                              String orderNo, String status, String reasonCode, OffsetDateTime receivedAt,
                              OffsetDateTime decidedAt) {
    }

    public record SentReceipt(UUID receiptId, String kind, String status, int statusCode, String reasonCode,
                              String message, OffsetDateTime decidedAt, String payload) {
    }

    public record CaseDetail(CaseSummary summary, List<SentReceipt> receipts) {
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
        return new CaseDetail(summary, receipts);
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
}

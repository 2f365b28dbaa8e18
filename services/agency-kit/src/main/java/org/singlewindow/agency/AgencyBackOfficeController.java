package org.singlewindow.agency;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.agency.client.DeclarationClient;
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
@Tag(name = "Back-office", description = "The agency's officers: its queue of declarations, a case with every finding, release or reject with a reason; customs: withdrawal applications.")
@RestController
@RequestMapping("/api/v1/${sw.agency}/declarations")
public class AgencyBackOfficeController {

    private final JdbcClient jdbc;
    private final DeclarationClient declarations;
    private final AgencyIntake intake;
    private final DecisionPolicy policy;
    private final TransactionTemplate tx;
    private final long overdueSeconds;

    public AgencyBackOfficeController(JdbcClient jdbc, DeclarationClient declarations, AgencyIntake intake, DecisionPolicy policy,
                                      TransactionTemplate tx, DecisionProperties settings) {
        this.jdbc = jdbc;
        this.policy = policy;
        this.overdueSeconds = settings.holdOverdueAfter().toSeconds();
        this.declarations = declarations;
        this.intake = intake;
        this.tx = tx;
    }

    /**
     * One declaration as this agency sees it. {@code ageSeconds} since it was received; {@code overdue} when
     * it is held longer than {@code sw.decision.hold-overdue-after}; {@code deferredUntil}/{@code deferReason}
     * when the decision waits for something outside the platform; {@code outcome} at the window and this
     * agency's {@code settlement} of it once followed up; {@code withdrawalReview} (PENDING, APPROVED, REFUSED) and
     * the enterprise's {@code withdrawalApplication} (its reason) where this agency reviews withdrawals.
     */
    public record CaseSummary(UUID declarationId, String enterpriseId, String declarationType, String ebpCode,
                              String orderNo, String status, String reasonCode, OffsetDateTime receivedAt,
                              OffsetDateTime decidedAt, long ageSeconds, boolean overdue, OffsetDateTime deferredUntil,
                              String deferReason, String outcome, String settlement, OffsetDateTime settledAt,
                              String withdrawalReview, String withdrawalApplication) {
    }

    private static final String SUMMARY = """
            select declaration_id, enterprise_id, declaration_type, ebp_code, order_no, status, reason_code, received_at,
                   decided_at, extract(epoch from now() - received_at)::bigint as age_seconds,
                   (status in ('MANUAL_REVIEW', 'INSPECTION') and received_at < now() - :overdue * interval '1 second') as overdue,
                   deferred_until, defer_reason, outcome, settlement, settled_at, withdrawal_review, withdrawal_application
            from received_declaration""";

    public record SentReceipt(UUID receiptId, String kind, String status, int statusCode, String reasonCode,
                              String message, OffsetDateTime decidedAt, String payload) {
    }

    public record Review(String officer, String decision, String reason, OffsetDateTime decidedAt) {
    }

    /**
     * A return as the reviewing agency keeps it (customs): its application PENDING, then APPROVED or REFUSED; once
     * approved its goods ARRIVED back in the zone (checked at {@code checkedAt}), then CHECKED or CHECK_FAILED.
     */
    public record ReturnReview(UUID returnId, String reason, String lines, OffsetDateTime requestedAt, String state,
                               OffsetDateTime decidedAt, OffsetDateTime arrivedAt, OffsetDateTime checkedAt) {
    }

    public record CaseDetail(CaseSummary summary, List<SentReceipt> receipts, List<Review> reviews, List<ReturnReview> returns) {
    }

    /**
     * An officer's decision — on a held declaration ({@code RELEASE} or {@code REJECT}), or on a withdrawal or return
     * application ({@code APPROVE} or {@code REFUSE}) — with the reason recorded with it.
     */
    public record ReviewRequest(String decision, String reason) {

        /** The decision, upper-cased, if it is one of the two; a 400 on {@code /decision} otherwise. */
        String decisionOf(String yes, String no) {
            String wanted = decision == null ? "" : decision.toUpperCase(Locale.ROOT);
            if (!wanted.equals(yes) && !wanted.equals(no)) {
                throw ApiException.invalid("/decision", "enum", "must be " + yes + " or " + no);
            }
            return wanted;
        }

        /** The reason, stripped: 3 to 500 characters, a 400 on {@code /reason} otherwise. */
        String checkedReason() {
            String stripped = reason == null ? "" : reason.strip();
            if (stripped.length() < 3 || stripped.length() > 500) {
                throw ApiException.invalid("/reason", "length", "a reason of 3 to 500 characters is required");
            }
            return stripped;
        }
    }

    /**
     * The agency's queue, newest first ({@code sort=oldest}: oldest first, as officers work held cases —
     * the overdue ones come first then). Filters: {@code status} (a receipt status, or {@code HELD} for
     * both holds, {@code DEFERRED}, {@code WITHDRAWAL_REVIEW} or {@code RETURN_REVIEW} for withdrawal or return
     * applications awaiting review — and returned goods awaiting their check), {@code enterpriseId}, {@code reasonCode}, {@code overdue=true},
     * {@code receivedFrom}/{@code receivedTo} (ISO-8601 instants).
     */
    @GetMapping
    public Map<String, Object> list(@RequestParam(required = false) String status,
                                    @RequestParam(required = false) String enterpriseId,
                                    @RequestParam(required = false) String reasonCode,
                                    @RequestParam(required = false) Boolean overdue,
                                    @RequestParam(required = false) String receivedFrom,
                                    @RequestParam(required = false) String receivedTo,
                                    @RequestParam(defaultValue = "newest") String sort,
                                    @RequestParam(defaultValue = "0") int page,
                                    @RequestParam(defaultValue = "50") int size) {
        String order = switch (sort) {
            case "newest" -> " order by received_at desc";
            case "oldest" -> " order by received_at";
            default -> throw ApiException.invalid("sort", "enum", "must be newest or oldest");
        };
        if (page < 0) {
            throw ApiException.invalid("page", "minimum", "must be 0 or more");
        }
        if (size < 1 || size > 200) {
            throw ApiException.invalid("size", "range", "must be between 1 and 200");
        }
        StringBuilder where = new StringBuilder(" where true");
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("overdue", overdueSeconds);
        if (status != null) {
            String wanted = status.toUpperCase(Locale.ROOT);
            switch (wanted) {
                case "HELD" -> where.append(" and status in ('MANUAL_REVIEW', 'INSPECTION')");
                case "DEFERRED" -> where.append(" and deferred_until is not null");
                case "WITHDRAWAL_REVIEW" -> where.append(" and withdrawal_review = 'PENDING'");
                case "RETURN_REVIEW" -> where.append(" and exists (select 1 from agency_return_review r"
                        + " where r.declaration_id = received_declaration.declaration_id and r.state in ('PENDING', 'ARRIVED'))");
                default -> {
                    try {
                        params.put("status", ReceiptStatus.valueOf(wanted).name());
                    } catch (IllegalArgumentException e) {
                        throw ApiException.invalid("status", "enum", "must be HELD, DEFERRED, WITHDRAWAL_REVIEW, RETURN_REVIEW or one of "
                                + List.of(ReceiptStatus.values()));
                    }
                    where.append(" and status = :status");
                }
            }
        }
        if (enterpriseId != null) {
            params.put("enterprise", enterpriseId);
            where.append(" and enterprise_id = :enterprise");
        }
        if (reasonCode != null) {
            params.put("reason", reasonCode);
            where.append(" and reason_code = :reason");
        }
        if (Boolean.TRUE.equals(overdue)) {
            where.append(" and status in ('MANUAL_REVIEW', 'INSPECTION') and received_at < now() - :overdue * interval '1 second'");
        }
        if (receivedFrom != null) {
            params.put("from", instant("receivedFrom", receivedFrom));
            where.append(" and received_at >= :from");
        }
        if (receivedTo != null) {
            params.put("to", instant("receivedTo", receivedTo));
            where.append(" and received_at < :to");
        }
        params.put("limit", size);
        params.put("offset", (long) page * size);
        List<CaseSummary> items = jdbc.sql(SUMMARY + where + order + " limit :limit offset :offset")
                .params(params).query(CaseSummary.class).list();
        return Map.of("items", items, "page", page, "size", size);
    }

    private static OffsetDateTime instant(String field, String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.invalid(field, "format", "must be an ISO-8601 date-time with offset, e.g. 2026-11-29T08:00:00Z");
        }
    }

    @GetMapping("/{declarationId}")
    public CaseDetail get(@PathVariable UUID declarationId) {
        CaseSummary summary = jdbc.sql(SUMMARY + " where declaration_id = :id")
                .param("overdue", overdueSeconds).param("id", declarationId).query(CaseSummary.class).optional()
                .orElseThrow(() -> ApiException.notFound("declaration " + declarationId));
        List<SentReceipt> receipts = jdbc.sql("""
                        select receipt_id, kind, status, status_code, reason_code, message, decided_at, payload::text as payload
                        from sent_receipt where declaration_id = ? order by decided_at, kind""")
                .param(declarationId).query(SentReceipt.class).list();
        List<Review> reviews = jdbc.sql("""
                        select officer, decision, reason, decided_at from review_decision where declaration_id = ? order by id""")
                .param(declarationId).query(Review.class).list();
        List<ReturnReview> returns = policy.reviewsReturns() ? jdbc.sql("""
                        select return_id, reason, lines::text as lines, requested_at, state, decided_at, arrived_at, checked_at
                        from agency_return_review
                        where declaration_id = ? order by requested_at""")
                .param(declarationId).query(ReturnReview.class).list() : List.of();
        return new CaseDetail(summary, receipts, reviews, returns);
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
     * Decide a return of lines of a cleared declaration, in an agency that reviews returns (customs), with a reason:
     * its application (CEB625) — approve (800: logistics may then receive the goods) or refuse (100) —, or, once its
     * goods arrived back in the zone, its goods on the officer's check — approve (800: every agency settles the
     * returned lines) or refuse (100: nothing is settled). Audited ({@code RETURN_APPROVE}/{@code RETURN_REFUSE}, or
     * {@code RETURN_CHECK_PASS}/{@code RETURN_CHECK_FAIL}); 409 when it waits for no decision.
     */
    @PostMapping(path = "/{declarationId}/returns/{returnId}/review", consumes = MediaType.APPLICATION_JSON_VALUE)
    public CaseDetail reviewReturn(@PathVariable UUID declarationId, @PathVariable UUID returnId,
                                   @RequestBody ReviewRequest request, Authentication officer) {
        if (!policy.reviewsReturns()) {
            throw ApiException.notFound("return reviews here (this agency does not review returns)");
        }
        String decision = request.decisionOf("APPROVE", "REFUSE");
        String reason = request.checkedReason();
        tx.executeWithoutResult(status -> {
            boolean approve = decision.equals("APPROVE");
            AgencyIntake.ReturnStep step = intake.reviewReturn(declarationId, returnId, approve, reason);
            audit(declarationId, officer, step == AgencyIntake.ReturnStep.APPLICATION ? "RETURN_" + decision
                    : approve ? "RETURN_CHECK_PASS" : "RETURN_CHECK_FAIL", reason);
        });
        return get(declarationId);
    }

    /**
     * Decide an application to withdraw a cleared declaration (CEB623), in an agency that reviews withdrawals
     * (customs): approve it (800: logistics then checks that the goods are still in the bonded zone, and every
     * agency restores what it committed) or refuse it (100: the declaration stays cleared), with a reason. Audited;
     * 409 when no application waits for review.
     */
    @PostMapping(path = "/{declarationId}/withdrawal-review", consumes = MediaType.APPLICATION_JSON_VALUE)
    public CaseDetail reviewWithdrawal(@PathVariable UUID declarationId, @RequestBody ReviewRequest request,
                                       Authentication officer) {
        if (!policy.reviewsWithdrawal()) {
            throw ApiException.notFound("withdrawal reviews here (this agency does not review withdrawals)");
        }
        String decision = request.decisionOf("APPROVE", "REFUSE");
        String reason = request.checkedReason();
        tx.executeWithoutResult(status -> {
            intake.reviewWithdrawal(declarationId, decision.equals("APPROVE"), reason);
            audit(declarationId, officer, "WITHDRAWAL_" + decision, reason);
        });
        return get(declarationId);
    }

    /**
     * Settle a declaration held for manual review (300) or inspection (500): release (800) or reject
     * (100) with a reason. Audited (who, when, what, why); the decision goes to the window as a receipt.
     */
    @PostMapping(path = "/{declarationId}/review", consumes = MediaType.APPLICATION_JSON_VALUE)
    public CaseDetail review(@PathVariable UUID declarationId, @RequestBody ReviewRequest request, Authentication officer) {
        String decision = request.decisionOf("RELEASE", "REJECT");
        String reason = request.checkedReason();
        tx.executeWithoutResult(status -> {
            String current = jdbc.sql("select status from received_declaration where declaration_id = ? for update")
                    .param(declarationId).query(String.class).optional()
                    .orElseThrow(() -> ApiException.notFound("declaration " + declarationId));
            if (!ReceiptStatus.valueOf(current).isHold()) {
                throw ApiException.conflict("declaration " + declarationId + " is " + current + ", not held; nothing to review");
            }
            audit(declarationId, officer, decision, reason);
            intake.decideByOfficer(declarationId, decision.equals("RELEASE")
                    ? new Decision(ReceiptStatus.RELEASED, "OFFICER_RELEASED", "released by an officer: " + reason, null)
                    : new Decision(ReceiptStatus.REJECTED, "OFFICER_REJECTED", "rejected by an officer: " + reason, null));
        });
        return get(declarationId);
    }

    /** Every officer's decision is kept: who, when, what and why. */
    private void audit(UUID declarationId, Authentication officer, String decision, String reason) {
        jdbc.sql("insert into review_decision (declaration_id, officer, decision, reason, decided_at) values (?, ?, ?, ?, ?)")
                .params(declarationId, officer.getName(), decision, reason, OffsetDateTime.now(ZoneOffset.UTC)).update();
    }
}

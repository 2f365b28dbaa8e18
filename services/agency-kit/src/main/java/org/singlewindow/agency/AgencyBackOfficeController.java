package org.singlewindow.agency;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.contract.WindowStatus;
import org.singlewindow.agency.client.DeclarationClient;
import org.singlewindow.kit.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.OffsetDateTime;
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

    private final AgencyCases cases;
    private final AgencyAnswers answers;
    private final WithdrawalHandling withdrawals;
    private final ReturnHandling returns;
    private final DeclarationClient declarations;
    private final DecisionPolicy policy;
    private final TransactionTemplate tx;
    private final Duration overdue;

    public AgencyBackOfficeController(AgencyCases cases, AgencyAnswers answers, WithdrawalHandling withdrawals,
                                      ReturnHandling returns, DeclarationClient declarations, DecisionPolicy policy,
                                      TransactionTemplate tx, DecisionProperties settings) {
        this.cases = cases;
        this.answers = answers;
        this.withdrawals = withdrawals;
        this.returns = returns;
        this.declarations = declarations;
        this.policy = policy;
        this.tx = tx;
        this.overdue = settings.holdOverdueAfter();
    }

    /** One declaration as this agency sees it, with every receipt it sent, its officers' decisions and its returns. */
    public record CaseDetail(AgencyCases.CaseSummary summary, List<AgencyCases.SentReceipt> receipts,
                             List<AgencyCases.Review> reviews, List<AgencyCases.ReturnReview> returns) {
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
        if (!sort.equals("newest") && !sort.equals("oldest")) {
            throw ApiException.invalid("sort", "enum", "must be newest or oldest");
        }
        if (page < 0) {
            throw ApiException.invalid("page", "minimum", "must be 0 or more");
        }
        if (size < 1 || size > 200) {
            throw ApiException.invalid("size", "range", "must be between 1 and 200");
        }
        AgencyCases.Queue queue = null;
        ReceiptStatus wantedStatus = null;
        if (status != null) {
            String wanted = status.toUpperCase(Locale.ROOT);
            try {
                queue = AgencyCases.Queue.valueOf(wanted);
            } catch (IllegalArgumentException notAQueue) {
                try {
                    wantedStatus = ReceiptStatus.valueOf(wanted);
                } catch (IllegalArgumentException e) {
                    throw ApiException.invalid("status", "enum", "must be HELD, DEFERRED, WITHDRAWAL_REVIEW, RETURN_REVIEW or one of "
                            + List.of(ReceiptStatus.values()));
                }
            }
        }
        List<AgencyCases.CaseSummary> items = cases.list(new AgencyCases.Query(queue, wantedStatus, enterpriseId, reasonCode,
                Boolean.TRUE.equals(overdue), receivedFrom == null ? null : instant("receivedFrom", receivedFrom),
                receivedTo == null ? null : instant("receivedTo", receivedTo), sort.equals("oldest"), page, size), this.overdue);
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
        AgencyCases.CaseSummary summary = cases.find(declarationId, overdue)
                .orElseThrow(() -> ApiException.notFound("declaration " + declarationId));
        return new CaseDetail(summary, cases.receipts(declarationId), cases.reviews(declarationId),
                policy.reviewsReturns() ? cases.returnReviews(declarationId) : List.of());
    }

    /** Where the declaration stands at the window: every agency's decision, as the declaration service consolidates it. */
    @GetMapping("/{declarationId}/window-status")
    public WindowStatus windowStatus(@PathVariable UUID declarationId) {
        if (!cases.exists(declarationId)) {
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
            ReturnHandling.Step step = returns.review(declarationId, returnId, approve, reason);
            audit(declarationId, officer, step == ReturnHandling.Step.APPLICATION ? "RETURN_" + decision
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
            withdrawals.review(declarationId, decision.equals("APPROVE"), reason);
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
            ReceiptStatus current = cases.lockedStatus(declarationId)
                    .orElseThrow(() -> ApiException.notFound("declaration " + declarationId));
            if (!current.isHold()) {
                throw ApiException.conflict("declaration " + declarationId + " is " + current + ", not held; nothing to review");
            }
            audit(declarationId, officer, decision, reason);
            answers.decideByOfficer(declarationId, decision.equals("RELEASE")
                    ? new Decision(ReceiptStatus.RELEASED, "OFFICER_RELEASED", "released by an officer: " + reason, null)
                    : new Decision(ReceiptStatus.REJECTED, "OFFICER_REJECTED", "rejected by an officer: " + reason, null));
        });
        return get(declarationId);
    }

    /** Every officer's decision is kept: who, when, what and why. */
    private void audit(UUID declarationId, Authentication officer, String decision, String reason) {
        cases.audit(declarationId, officer.getName(), decision, reason);
    }
}

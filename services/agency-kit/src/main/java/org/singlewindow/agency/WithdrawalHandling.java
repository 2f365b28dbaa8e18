package org.singlewindow.agency;

import org.singlewindow.contract.Agency;
import org.singlewindow.contract.DeclarationWithdrawalApproved;
import org.singlewindow.contract.DeclarationWithdrawalRequested;
import org.singlewindow.contract.DeclarationWithdrawn;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.kit.messaging.NonRetryableMessageException;
import org.singlewindow.kit.web.ApiException;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * An agency's part in a withdrawal after release (CEB623, GACC 2018 No.194 item 11), read top to bottom:
 * {@code declaration.withdrawal-requested.v1} — the agency that reviews withdrawals (customs) keeps the application for
 * its officer (300), who approves (800) or refuses (100) it; {@code declaration.withdrawal-approved.v1} — the agency
 * that arbitrates withdrawals (logistics) accepts, restoring what it committed (903), or refuses (100);
 * {@code declaration.withdrawn.v1} — every agency not yet withdrawn restores what it committed and answers 903, once.
 * The others ignore the first two.
 */
public class WithdrawalHandling {

    private final Agency agency;
    private final DecisionPolicy policy;
    private final AgencyCases cases;
    private final AgencyAnswers answers;

    public WithdrawalHandling(DecisionPolicy policy, AgencyCases cases, AgencyAnswers answers) {
        this.agency = answers.agency();
        this.policy = policy;
        this.cases = cases;
        this.answers = answers;
    }

    void requested(DeclarationWithdrawalRequested event, AgencyAnswers.Batch answered) {
        if (event.declarationId() == null) {
            throw new NonRetryableMessageException("declaration.withdrawal-requested.v1 without declaration id");
        }
        if (!policy.reviewsWithdrawal()) {
            return;
        }
        UUID id = event.declarationId();
        Optional<AgencyCases.Withdrawable> current = cases.lockedForWithdrawal(id);
        if (current.isPresent() && current.get().withdrawnAt() != null) {
            return; // withdrawn already: the same application twice changes nothing
        }
        if (current.isEmpty() || !current.get().clearedAndSettled()) {
            answered.add(id, Receipt.Kind.WITHDRAWAL, notCleared(id));
            return;
        }
        if (cases.keepWithdrawalApplication(id, event.reason())) {
            answered.add(id, Receipt.Kind.WITHDRAWAL, new Decision(ReceiptStatus.MANUAL_REVIEW, "WITHDRAWAL_REVIEW",
                    "the withdrawal application (CEB623) awaits a " + agency.key() + " officer's review", null));
        }
    }

    /**
     * An officer's decision on a withdrawal application waiting for review: approved (800, and logistics then checks
     * the goods) or refused (100). Call in a transaction.
     *
     * @throws ApiException 404 for a declaration never received here, 409 when no application of it waits for review
     */
    public void review(UUID declarationId, boolean approve, String reason) {
        Optional<AgencyCases.WithdrawalReview> review = cases.lockedWithdrawalReview(declarationId)
                .orElseThrow(() -> ApiException.notFound("declaration " + declarationId));
        if (review.orElse(null) != AgencyCases.WithdrawalReview.PENDING) {
            throw ApiException.conflict("no withdrawal application of declaration " + declarationId + " waits for review"
                    + review.map(r -> " (the last one was " + r.name().toLowerCase(Locale.ROOT) + ")").orElse(""));
        }
        cases.withdrawalReviewed(declarationId, approve ? AgencyCases.WithdrawalReview.APPROVED : AgencyCases.WithdrawalReview.REFUSED);
        answers.report(declarationId, Receipt.Kind.WITHDRAWAL, approve
                ? new Decision(ReceiptStatus.RELEASED, "OFFICER_APPROVED", "withdrawal approved by an officer: " + reason, null)
                : new Decision(ReceiptStatus.REJECTED, "OFFICER_REFUSED", "withdrawal refused by an officer: " + reason, null));
    }

    /** Customs approved a withdrawal: the arbiter (logistics) accepts it, restoring what it committed, or refuses it. */
    void approved(DeclarationWithdrawalApproved event, AgencyAnswers.Batch answered) {
        if (event.declarationId() == null) {
            throw new NonRetryableMessageException("declaration.withdrawal-approved.v1 without declaration id");
        }
        if (!policy.arbitratesWithdrawal()) {
            return; // logistics answers; this agency acts once the withdrawal is accepted
        }
        UUID id = event.declarationId();
        Optional<AgencyCases.Withdrawable> current = cases.lockedForWithdrawal(id);
        if (current.isPresent() && current.get().withdrawnAt() != null) {
            return; // accepted already: the same application twice changes nothing
        }
        if (current.isEmpty() || !current.get().clearedAndSettled()) {
            answered.add(id, Receipt.Kind.WITHDRAWAL, notCleared(id));
            return;
        }
        Optional<String> refused = policy.withdrawalRefused(id);
        if (refused.isPresent()) {
            answered.add(id, Receipt.Kind.WITHDRAWAL, new Decision(ReceiptStatus.REJECTED, "GOODS_LEFT_ZONE",
                    "withdrawal refused: " + refused.get(), null));
            return;
        }
        withdraw(id, answered);
    }

    void withdrawn(DeclarationWithdrawn event, AgencyAnswers.Batch answered) {
        if (event.declarationId() == null) {
            throw new NonRetryableMessageException("declaration.withdrawn.v1 without declaration id");
        }
        Optional<AgencyCases.Withdrawable> current = cases.lockedForWithdrawal(event.declarationId());
        if (current.isEmpty()) {
            throw new NonRetryableMessageException("declaration " + event.declarationId() + " withdrawn but "
                    + agency.key() + " never received it");
        }
        if (current.get().withdrawnAt() == null) {
            withdraw(event.declarationId(), answered);
        }
    }

    /** Restore what was committed, remember it, answer 903. */
    private void withdraw(UUID declarationId, AgencyAnswers.Batch answered) {
        Settlement restored = policy.withdrawn(declarationId);
        if (restored == null) {
            restored = new Settlement("NOTHING_COMMITTED", agency.key() + " committed nothing for this declaration");
        }
        cases.withdrawn(declarationId, restored.reasonCode());
        answered.add(declarationId, Receipt.Kind.WITHDRAWAL,
                new Decision(ReceiptStatus.WITHDRAWN, restored.reasonCode(), "withdrawn: " + restored.message(), null));
    }

    private Decision notCleared(UUID id) {
        return new Decision(ReceiptStatus.REJECTED, "NOT_CLEARED", agency.key() + " has no cleared, settled declaration " + id
                + " to withdraw", null);
    }
}

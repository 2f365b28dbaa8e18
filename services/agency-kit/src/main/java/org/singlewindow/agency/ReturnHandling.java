package org.singlewindow.agency;

import org.singlewindow.contract.Agency;
import org.singlewindow.contract.DeclarationReturnApproved;
import org.singlewindow.contract.DeclarationReturnArrived;
import org.singlewindow.contract.DeclarationReturnRefused;
import org.singlewindow.contract.DeclarationReturnRequested;
import org.singlewindow.contract.DeclarationReturned;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.kit.messaging.NonRetryableMessageException;
import org.singlewindow.kit.web.ApiException;

import java.util.Locale;
import java.util.UUID;

/**
 * An agency's part in a return of lines of a cleared declaration (CEB625, GACC 2018 No.194 item 12), read top to
 * bottom: {@code declaration.return-requested.v1} — the policy records it if it must (logistics), and the agency that
 * reviews returns (customs) keeps it for its officer (300), who approves (800) or refuses (100) it;
 * {@code declaration.return-approved.v1} — the policy records it (logistics may receive the goods);
 * {@code declaration.return-arrived.v1} — the goods are back and the reviewing agency keeps them for its officer's check
 * (300), who accepts (800) or refuses (100) them; {@code declaration.return-refused.v1} — the policy stops expecting
 * the return; {@code declaration.returned.v1} (accepted on the check) — the policy settles the returned lines and the
 * agency answers 905, once per return.
 */
public class ReturnHandling {

    /** What an officer decided of a return: its application, or its goods on arrival. */
    public enum Step {
        APPLICATION, ARRIVAL
    }

    private final Agency agency;
    private final DecisionPolicy policy;
    private final AgencyCases cases;
    private final AgencyAnswers answers;

    public ReturnHandling(DecisionPolicy policy, AgencyCases cases, AgencyAnswers answers) {
        this.agency = answers.agency();
        this.policy = policy;
        this.cases = cases;
        this.answers = answers;
    }

    void requested(DeclarationReturnRequested application, AgencyAnswers.Batch answered) {
        policy.returnRequested(application);
        if (!policy.reviewsReturns() || application.declarationId() == null || application.returnId() == null) {
            return;
        }
        if (cases.keepReturnApplication(application)) {
            answered.add(application.declarationId(), Receipt.Kind.RETURN, new Decision(ReceiptStatus.MANUAL_REVIEW, "RETURN_REVIEW",
                    "the return application (CEB625) awaits a " + agency.key() + " officer's review",
                    new ReceiptPayload.ReturnRef(application.returnId())));
        }
    }

    void approved(DeclarationReturnApproved approved) {
        policy.returnApproved(approved);
    }

    /** The goods of an approved return are back: the reviewing agency keeps them for its officer's check (300), once. */
    void arrived(DeclarationReturnArrived arrived, AgencyAnswers.Batch answered) {
        if (!policy.reviewsReturns() || arrived.declarationId() == null || arrived.returnId() == null) {
            return;
        }
        if (cases.returnArrived(arrived.declarationId(), arrived.returnId(), arrived.arrivedAt())) {
            answered.add(arrived.declarationId(), Receipt.Kind.RETURN, new Decision(ReceiptStatus.MANUAL_REVIEW, "RETURN_CHECK",
                    "the returned goods arrived in the bonded zone and await a " + agency.key() + " officer's check (original "
                            + "state, fit for resale)", new ReceiptPayload.ReturnRef(arrived.returnId())));
        }
    }

    void refused(DeclarationReturnRefused refused) {
        policy.returnRefused(refused);
    }

    /**
     * An officer's decision on a return waiting here: on its application (approved, 800: logistics may then receive the
     * goods; refused, 100) or on its goods once they arrived (accepted, 800: every agency settles the returned lines;
     * refused, 100: nothing is settled). Call in a transaction.
     *
     * @return which of the two the officer decided
     * @throws ApiException 404 for a return not received here, 409 when it waits for no decision
     */
    public Step review(UUID declarationId, UUID returnId, boolean approve, String reason) {
        AgencyCases.ReturnReviewState state = cases.lockedReturnReview(declarationId, returnId)
                .orElseThrow(() -> ApiException.notFound("return " + returnId + " of declaration " + declarationId));
        ReceiptPayload.ReturnRef ref = new ReceiptPayload.ReturnRef(returnId);
        Decision decision;
        Step step;
        switch (state) {
            case PENDING -> {
                step = Step.APPLICATION;
                cases.returnReviewed(returnId, approve ? AgencyCases.ReturnReviewState.APPROVED : AgencyCases.ReturnReviewState.REFUSED);
                decision = approve
                        ? new Decision(ReceiptStatus.RELEASED, "OFFICER_APPROVED", "return approved by an officer: " + reason, ref)
                        : new Decision(ReceiptStatus.REJECTED, "OFFICER_REFUSED", "return refused by an officer: " + reason, ref);
            }
            case ARRIVED -> {
                step = Step.ARRIVAL;
                cases.returnReviewed(returnId, approve ? AgencyCases.ReturnReviewState.CHECKED : AgencyCases.ReturnReviewState.CHECK_FAILED);
                decision = approve
                        ? new Decision(ReceiptStatus.RELEASED, "CHECK_PASSED", "returned goods accepted on an officer's check: " + reason, ref)
                        : new Decision(ReceiptStatus.REJECTED, "CHECK_FAILED", "returned goods refused on an officer's check: " + reason, ref);
            }
            case APPROVED -> throw ApiException.conflict("return " + returnId + " waits for its goods: they are checked once "
                    + "logistics reports them back in the bonded zone");
            default -> throw ApiException.conflict("return " + returnId + " waits for no decision: it was "
                    + state.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        answers.report(declarationId, Receipt.Kind.RETURN, decision);
        return step;
    }

    void returned(DeclarationReturned event, AgencyAnswers.Batch answered) {
        if (event.declarationId() == null || event.returnId() == null || event.lines() == null) {
            throw new NonRetryableMessageException("declaration.returned.v1 needs a declaration id, a return id and lines");
        }
        if (!cases.claimReturnSettlement(event.returnId(), event.declarationId())) {
            return; // settled already: the same event twice changes nothing
        }
        Settlement settled = policy.returned(event);
        if (settled == null) {
            settled = new Settlement("NOTHING_COMMITTED", agency.key() + " has nothing to settle for the returned lines");
        }
        cases.returnSettled(event.returnId(), settled.reasonCode());
        answered.add(event.declarationId(), Receipt.Kind.RETURN, new Decision(ReceiptStatus.RETURNED, settled.reasonCode(),
                "return: " + settled.message(), new ReceiptPayload.ReturnRef(event.returnId())));
    }
}

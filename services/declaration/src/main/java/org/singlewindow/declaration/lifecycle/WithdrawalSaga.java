package org.singlewindow.declaration.lifecycle;

import java.util.ArrayList;
import java.util.List;

/**
 * The withdrawal saga (撤销 after release, CEB623 answered CEB624), read top to bottom: the enterprise applies while the
 * goods are in the bonded zone (the declaration {@code WITHDRAWING}); a customs officer approves it (announced: logistics
 * checks the goods) or refuses it; logistics finds the goods still in the zone and puts the stock back (announced:
 * every agency restores what it committed on clearance) or finds them gone and refuses; when all five have restored,
 * the declaration is {@code WITHDRAWN}. The compensation is one: a refusal, by either, before logistics accepted,
 * puts the declaration back to {@code CLEARED}, nothing having been restored.
 * <p>
 * A pure function of where the withdrawal stood and what one batch of receipts said about it: the steps to take, in
 * order. The window's receipt intake applies them in the receipts' transaction.
 */
public final class WithdrawalSaga {

    /** What the receipts of one batch said, and what had been recorded before them. */
    public record Answers(boolean approvedBefore, boolean acceptedBefore, boolean approvedNow, boolean acceptedNow,
                          String refusedNow, boolean allRestored) {
    }

    /** A step's kind: what is written, announced and entered on the timeline. */
    public enum Kind {
        /** Back to {@code CLEARED}; timeline {@code WITHDRAWAL_REFUSED} with who refused and why. */
        REFUSED,
        /** {@code withdrawal_approved_at}; {@code declaration.withdrawal-approved.v1}; timeline {@code WITHDRAWAL_APPROVED}. */
        APPROVED,
        /** {@code withdrawal_accepted_at}; {@code declaration.withdrawn.v1}; timeline {@code WITHDRAWAL_ACCEPTED}. */
        ACCEPTED,
        /** Status {@code WITHDRAWN} (final); timeline {@code STATUS}. */
        WITHDRAWN
    }

    /** One step, with the timeline's words for it. */
    public record Step(Kind kind, String detail) {
    }

    private WithdrawalSaga() {
    }

    /** The steps a batch of receipts about a withdrawing declaration takes, in order; none when it changes nothing. */
    public static List<Step> after(Answers a) {
        if (a.refusedNow() != null && !a.acceptedBefore() && !a.acceptedNow()) {
            return List.of(new Step(Kind.REFUSED, a.refusedNow()));
        }
        List<Step> steps = new ArrayList<>(3);
        if (a.approvedNow() && !a.approvedBefore()) {
            steps.add(new Step(Kind.APPROVED, "customs approved the withdrawal (CEB624); logistics checks that the goods are "
                    + "still in the bonded zone"));
        }
        if (a.acceptedNow() && !a.acceptedBefore()) {
            steps.add(new Step(Kind.ACCEPTED, "logistics holds the goods in the bonded zone and put the stock back; every agency "
                    + "asked to restore what it committed (tax bill voided, yearly totals reduced)"));
        }
        if (a.allRestored()) {
            steps.add(new Step(Kind.WITHDRAWN, "WITHDRAWING -> WITHDRAWN"));
        }
        return List.copyOf(steps);
    }
}

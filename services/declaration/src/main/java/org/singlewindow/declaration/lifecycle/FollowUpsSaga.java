package org.singlewindow.declaration.lifecycle;

import org.singlewindow.contract.Outcome;

/**
 * The follow-ups of an outcome, read top to bottom: when a declaration becomes final by the agencies' answers
 * (cleared, rejected) or by the enterprise's cancellation after an agency saw it, every agency is asked
 * ({@code declaration.concluded.v1} or {@code declaration.cancelled.v1}) to commit what it reserved (cleared: stock
 * deducted, tax billed, forex counted) or release it (rejected, cancelled); each answers with a settlement receipt
 * (901); when all five have, the follow-ups are complete. There is no compensation: a settlement is each agency's
 * own, once per declaration, and a redelivered request changes nothing.
 * <p>
 * A pure function of the change of status, and of the settlements received; {@link DeclarationRecords} writes what it
 * says.
 */
public final class FollowUpsSaga {

    private FollowUpsSaga() {
    }

    /** The outcome every agency is asked to settle on a change from {@code from} to {@code to}, or null for none. */
    public static Outcome requested(DeclarationStatus from, DeclarationStatus to) {
        return switch (to) {
            case CLEARED -> from == DeclarationStatus.WITHDRAWING ? null : Outcome.CLEARED;
            case REJECTED -> Outcome.REJECTED;
            // a declaration still waiting for its parties reached no agency: nothing to settle
            case CANCELLED -> from == DeclarationStatus.AWAITING_PARTIES ? null : Outcome.CANCELLED;
            default -> null;
        };
    }

    /** Whether this batch's settlements complete the follow-ups (once). */
    public static boolean completed(boolean allSettled, boolean completedBefore) {
        return allSettled && !completedBefore;
    }

    /** The timeline's words for the request. */
    public static String requestDetail(Outcome outcome) {
        return "every agency asked to " + (outcome == Outcome.CLEARED
                ? "commit what it reserved (stock deducted, tax billed, forex counted)"
                : "release what it reserved (stock restored, tax and forex ledgers released)");
    }
}

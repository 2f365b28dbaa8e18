package org.singlewindow.kit.agency;

import org.singlewindow.contract.DeclarationSubmitted;

import java.util.UUID;

/**
 * The decision seam of an agency: given a declaration the agency has just acknowledged, decide.
 * Runs inside the intake transaction; it may read and write the agency's own tables (ledgers,
 * reservations), and those changes commit together with the receipt.
 */
@FunctionalInterface
public interface DecisionPolicy {

    Decision decide(DeclarationSubmitted submitted);

    /**
     * The declaration's outcome at the window: {@code CLEARED}, {@code REJECTED} or {@code CANCELLED}.
     * Commit or release what {@link #decide} reserved. Runs in the consumer's transaction; called once
     * per outcome (a redelivery is skipped by the inbox), possibly for a declaration this agency never
     * decided (then there is nothing to settle).
     */
    default void concluded(UUID declarationId, String outcome) {
    }
}

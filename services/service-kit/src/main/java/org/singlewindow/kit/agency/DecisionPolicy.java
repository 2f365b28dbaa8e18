package org.singlewindow.kit.agency;

import org.singlewindow.contract.DeclarationSubmitted;

/**
 * The decision seam of an agency: given a declaration the agency has just acknowledged, decide.
 * Runs inside the intake transaction; it may read and write the agency's own tables (ledgers,
 * reservations), and those changes commit together with the receipt.
 */
@FunctionalInterface
public interface DecisionPolicy {

    Decision decide(DeclarationSubmitted submitted);
}

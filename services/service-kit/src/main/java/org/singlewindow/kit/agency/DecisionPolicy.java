package org.singlewindow.kit.agency;

import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Outcome;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The decision seam of an agency: given a declaration the agency has just acknowledged, decide.
 * Runs inside the intake transaction; it may read and write the agency's own tables (ledgers,
 * reservations), and those changes commit together with the receipt.
 */
public interface DecisionPolicy {

    /**
     * Decide. May answer {@link Decision#defer} when something outside the platform it needs is not
     * available now (an exchange rate, say); it must then have written nothing, and it is asked again
     * later with the same declaration.
     */
    Decision decide(DeclarationSubmitted submitted);

    /**
     * The names of what {@link #decide} (and later {@link #concluded}) will lock for this declaration beyond
     * the declaration itself (a consumer's year, a guarantee account, a stock account), as
     * {@link org.singlewindow.kit.messaging.Locks} keys. The consumer takes them for a whole batch in one
     * order before deciding any of it, so batches never deadlock on those rows. None by default.
     */
    default Collection<String> lockKeys(DeclarationSubmitted submitted) {
        return List.of();
    }

    /**
     * The declaration's outcome at the window: {@code CLEARED}, {@code REJECTED} or {@code CANCELLED}.
     * Commit or release what {@link #decide} reserved, and say what was done. Runs in the consumer's
     * transaction, at most once per declaration (the intake remembers it settled), possibly for a
     * declaration this agency decided without reserving anything.
     */
    Settlement concluded(UUID declarationId, Outcome outcome);
}

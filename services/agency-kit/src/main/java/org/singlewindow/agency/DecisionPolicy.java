package org.singlewindow.agency;

import org.singlewindow.contract.DeclarationSubmitted;
import org.singlewindow.contract.Outcome;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
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

    /**
     * The declaration was amended before its outcome: release what {@link #decide} reserved for the earlier
     * version and forget it, so that the new version is decided afresh (and may reserve the same things
     * again). Runs in the consumer's transaction under the locks of both versions; nothing by default.
     */
    default void superseded(UUID declarationId) {
    }

    /**
     * Whether this agency reviews an application to withdraw a cleared declaration (customs: its CEB623 is decided
     * by a customs officer, GACC 2018 No.194 item 11). The application waits for the officer
     * ({@code POST /api/v1/<agency>/declarations/{id}/withdrawal-review}); no by default.
     */
    default boolean reviewsWithdrawal() {
        return false;
    }

    /**
     * Whether this agency answers a withdrawal customs approved (logistics: it alone knows whether the goods have
     * left the bonded zone). No by default: the others act only once the withdrawal is accepted ({@link #withdrawn}).
     */
    default boolean arbitratesWithdrawal() {
        return false;
    }

    /**
     * Why a cleared declaration can no longer be withdrawn (the goods have left the zone), or empty if it
     * can; asked of the arbiter only, under the declaration's locks, before {@link #withdrawn}. An arbiter
     * that accepts must also see to it that nothing makes the answer untrue afterwards (logistics: the goods
     * may no longer leave).
     */
    default Optional<String> withdrawalRefused(UUID declarationId) {
        return Optional.empty();
    }

    /**
     * Withdrawn after release: restore what {@link #concluded} committed on clearance (stock back on the
     * owner's account, tax bill voided and its tax taken off what is owed, the yearly totals reduced) and say what
     * was done; null if this agency committed nothing. Runs in the consumer's transaction, at most once per
     * declaration.
     */
    default Settlement withdrawn(UUID declarationId) {
        return null;
    }

    /**
     * An application to return some lines of a cleared declaration: an agency that must act before the
     * goods are back (logistics: expect them by {@code receiveBy}) records it; nothing by default.
     */
    default void returnRequested(org.singlewindow.contract.DeclarationReturnRequested application) {
    }

    /**
     * Whether this agency reviews return applications (customs: its CEB625 is decided by a customs officer, GACC 2018
     * No.194 item 12), and checks its goods when they arrive back in the zone: each waits for the officer
     * ({@code POST /api/v1/<agency>/declarations/{id}/returns/{returnId}/review}); no by default.
     */
    default boolean reviewsReturns() {
        return false;
    }

    /** Customs approved a return: an agency that acts on it (logistics: the goods may now be received) records it. */
    default void returnApproved(org.singlewindow.contract.DeclarationReturnApproved approved) {
    }

    /**
     * Customs refused a return (its application, or its goods on arrival): an agency that expected it stops expecting
     * it (logistics: closes the return; tax: no longer holds the tax back for it). Nothing by default.
     */
    default void returnRefused(org.singlewindow.contract.DeclarationReturnRefused refused) {
    }

    /**
     * The returned goods are back in the zone and customs accepted them on its check: settle the returned lines (tax: void their tax and take it off
     * what is owed, take their value out of the consumer's year) and say what was done; null if this agency
     * has nothing to settle. At most once per return, in the consumer's transaction.
     */
    default Settlement returned(org.singlewindow.contract.DeclarationReturned returned) {
        return null;
    }

    /**
     * The key under which this agency's copy of a declaration keeps ID numbers as keyed hashes
     * ({@link org.singlewindow.kit.privacy.PersonalData}): only for a policy that may decide again from
     * its copy ({@link Decision#defer}) and then needs the person again (a ledger); none by default, and
     * the copy keeps no ID number at all.
     */
    default org.singlewindow.kit.privacy.PersonKey keptIdentity() {
        return null;
    }
}

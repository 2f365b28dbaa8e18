package org.singlewindow.declaration.lifecycle;

/** The consolidated status an enterprise sees. */
public enum DeclarationStatus {
    /**
     * Kept, not yet fanned out: where each party transmits its own ({@code sw.ceb.strict}), a bonded import filed in
     * one JSON submission waits for the payment firm's and the logistics firm's own confirmation
     * ({@code PartyConfirmations}); no agency has seen it. Then {@link #RECEIVED}.
     */
    AWAITING_PARTIES,
    /** Stored and fanned out; no agency has answered yet. */
    RECEIVED,
    /** At least one agency has answered; not every agency has released it. */
    IN_REVIEW,
    /** An agency holds it for manual review or inspection. */
    HELD,
    /** Every agency released it. Final. */
    CLEARED,
    /** An agency rejected it. Final. */
    REJECTED,
    /** The enterprise cancelled it before it was final. Final. */
    CANCELLED,
    /**
     * Cleared, and the enterprise applied to withdraw it while the goods are in the bonded zone: a customs officer
     * decides the application, then logistics checks they are (back to {@link #CLEARED} if customs refuses or the
     * goods have left), then every agency restores what it committed.
     */
    WITHDRAWING,
    /** Withdrawn after release: every agency restored what it had committed. Final. */
    WITHDRAWN;

    /** The agencies' decisions are over: no receipt changes this status by the consolidation rule. */
    public boolean isFinal() {
        return this == CLEARED || this == REJECTED || this == CANCELLED || this == WITHDRAWING || this == WITHDRAWN;
    }
}

package org.singlewindow.declaration.status;

/** The consolidated status an enterprise sees. */
public enum DeclarationStatus {
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
    CANCELLED;

    public boolean isFinal() {
        return this == CLEARED || this == REJECTED || this == CANCELLED;
    }
}

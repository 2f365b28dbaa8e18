package org.singlewindow.contract;

/**
 * A declaration's final outcome at the window, which every agency settles: what it reserved is
 * committed ({@link #CLEARED}) or released ({@link #REJECTED}, {@link #CANCELLED}).
 */
public enum Outcome {
    /** Every agency released it. */
    CLEARED,
    /** An agency rejected it. */
    REJECTED,
    /** The enterprise cancelled it before it was final. */
    CANCELLED;

    /** Reservations are committed (only on clearance); otherwise released. */
    public boolean commits() {
        return this == CLEARED;
    }
}

package org.singlewindow.agency;

/**
 * What a policy reserved when it decided ({@link DecisionPolicy#decide}) becomes on the window's outcome
 * ({@link DecisionPolicy#concluded}): committed when the declaration is cleared, released when it is rejected or
 * cancelled (or amended: {@link DecisionPolicy#superseded}). The state of tax's ledger entries and forex's payment
 * records; each column's check constraint lists the same (tested in their modules).
 */
public enum ReservationState {
    RESERVED, COMMITTED, RELEASED
}

package org.singlewindow.logistics.stock;

/**
 * What logistics reserved of an owner's bonded stock for a declaration ({@code stock_reservation.state}, whose check
 * constraint lists the same): reserved on release, deducted when the declaration is cleared, restored when it is
 * rejected, cancelled or withdrawn.
 */
public enum StockReservationState {
    RESERVED, DEDUCTED, RESTORED
}

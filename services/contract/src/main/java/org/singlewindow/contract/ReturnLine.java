package org.singlewindow.contract;

import java.math.BigDecimal;

/**
 * One line of a return: the declaration's line ({@code gnum}, its item) and how much of it comes back, with
 * the quantity declared, so that an agency can share the line's amounts without the declaration at hand.
 */
public record ReturnLine(int gnum, String itemRecordNo, BigDecimal quantity, BigDecimal declaredQuantity) {
}

package org.singlewindow.tax.decision;

/**
 * Where a declaration's tax stands ({@code tax_assessment.state}, whose check constraint lists the same): assessed on
 * the decision; billed on clearance (or void on a rejection or cancellation); due on the period's statement, then
 * paid; withdrawn with the declaration after release.
 */
public enum AssessmentState {
    ASSESSED, BILLED, DUE, PAID, VOID, WITHDRAWN
}

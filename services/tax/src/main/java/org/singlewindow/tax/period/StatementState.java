package org.singlewindow.tax.period;

/** A tax period's statement ({@code tax_statement.state}, whose check constraint lists the same): open until paid. */
public enum StatementState {
    OPEN, PAID
}

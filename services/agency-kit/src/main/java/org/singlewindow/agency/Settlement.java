package org.singlewindow.agency;

/**
 * What an agency did about its reservations once a declaration's outcome was known: committed them
 * (cleared) or released them (rejected, cancelled). Sent to the window as a settlement receipt (901),
 * which the declaration's timeline shows.
 *
 * @param reasonCode machine-readable, e.g. {@code STOCK_DEDUCTED}, {@code TAX_RELEASED}
 * @param message    human account, with the amounts
 */
public record Settlement(String reasonCode, String message) {

    /** The agency reserved nothing for this declaration. */
    public static Settlement nothingReserved(String agency) {
        return new Settlement("NOTHING_RESERVED", agency + " held nothing for this declaration");
    }
}

package org.singlewindow.agency;

import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.ReceiptStatus;

/**
 * What an agency's rules decided about one declaration.
 *
 * @param status     RELEASED, REJECTED, a hold (MANUAL_REVIEW, INSPECTION) an officer will settle, or
 *                   ACCEPTED for a decision deferred until what it needs is available ({@link #defer})
 * @param reasonCode machine-readable reason
 * @param message    human explanation
 * @param payload    optional typed details
 */
public record Decision(ReceiptStatus status, String reasonCode, String message, ReceiptPayload payload) {

    /** Not decidable now (e.g. no fresh exchange rate): ask again later; never a silent approval. */
    public static Decision defer(String reasonCode, String message) {
        return new Decision(ReceiptStatus.ACCEPTED, reasonCode, message, null);
    }

    public boolean isDeferred() {
        return status == ReceiptStatus.ACCEPTED;
    }

    public static Decision release(String message) {
        return new Decision(ReceiptStatus.RELEASED, "OK", message, null);
    }

    public static Decision reject(String reasonCode, String message) {
        return new Decision(ReceiptStatus.REJECTED, reasonCode, message, null);
    }

    public static Decision reject(String reasonCode, String message, ReceiptPayload payload) {
        return new Decision(ReceiptStatus.REJECTED, reasonCode, message, payload);
    }
}

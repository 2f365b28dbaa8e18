package org.singlewindow.kit.agency;

import org.singlewindow.contract.ReceiptPayload;
import org.singlewindow.contract.ReceiptStatus;

/**
 * What an agency's rules decided about one declaration.
 *
 * @param status     RELEASED, REJECTED, or a hold (MANUAL_REVIEW, INSPECTION) an officer will settle
 * @param reasonCode machine-readable reason
 * @param message    human explanation
 * @param payload    optional typed details
 */
public record Decision(ReceiptStatus status, String reasonCode, String message, ReceiptPayload payload) {

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

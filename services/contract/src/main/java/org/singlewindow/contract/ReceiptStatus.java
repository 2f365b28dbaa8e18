package org.singlewindow.contract;

import java.util.Arrays;

/**
 * Receipt statuses in the CEB622 vocabulary. {@link #word()} is the routing-key form.
 */
public enum ReceiptStatus {
    /** 120: received and accepted for processing (the acknowledgement). */
    ACCEPTED(120, "accepted"),
    /** 100: rejected (a final decision). */
    REJECTED(100, "rejected"),
    /** 300: sent to an officer for manual review. */
    MANUAL_REVIEW(300, "review"),
    /** 500: held for inspection. */
    INSPECTION(500, "inspection"),
    /** 800: released (a final, positive decision). */
    RELEASED(800, "released"),
    /** 899: closed (e.g. after cancellation). */
    CLOSED(899, "closed");

    private final int code;
    private final String word;

    ReceiptStatus(int code, String word) {
        this.code = code;
        this.word = word;
    }

    public int code() {
        return code;
    }

    public String word() {
        return word;
    }

    /** A final decision: nothing more is expected from this agency for the declaration. */
    public boolean isFinal() {
        return this == REJECTED || this == RELEASED || this == CLOSED;
    }

    /** An intermediate hold: an officer must act. */
    public boolean isHold() {
        return this == MANUAL_REVIEW || this == INSPECTION;
    }

    public static ReceiptStatus ofCode(int code) {
        return Arrays.stream(values()).filter(s -> s.code == code).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown receipt status code " + code));
    }
}

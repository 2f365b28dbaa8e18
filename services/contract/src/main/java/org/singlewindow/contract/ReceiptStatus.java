package org.singlewindow.contract;

import java.util.Arrays;

/**
 * Receipt statuses: the CEB622 codes where customs has one (1xx–8xx), and the platform's own 9xx codes
 * for what the CEB622 vocabulary has no code for (follow-ups, closures without a decision, withdrawal,
 * the goods' movements). {@link #word()} is the routing-key form. docs/rules.md "Receipt codes" is the table.
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
    /**
     * 899: clearance complete (结关) — the tax period is over and the withholding agent has paid the tax
     * (tax, as a settlement receipt). Not a decision.
     */
    CLEARANCE_COMPLETE(899, "complete"),
    /** 901 (platform): the agency committed or released what it reserved once the outcome was known (a follow-up). */
    SETTLED(901, "settled"),
    /**
     * 902 (platform): the agency's case ended without its decision — the enterprise cancelled before
     * release, or another agency rejected the declaration.
     */
    VOID(902, "void"),
    /** 903 (platform): withdrawn after release — the agency restored what it had committed. */
    WITHDRAWN(903, "withdrawn"),
    /** 904 (platform, logistics): the goods left the bonded zone (waybill event); a withdrawal is no longer possible. */
    LEFT_ZONE(904, "left-zone"),
    /**
     * 905 (platform): a return of some lines is settled at this agency — logistics received the goods back
     * on the owner's account, tax voided their tax and took their value out of the consumer's year.
     */
    RETURNED(905, "returned");

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
        return this == REJECTED || this == RELEASED || this == VOID;
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

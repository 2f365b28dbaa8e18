package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An agency's answer about one declaration (CEB622-style).
 *
 * @param receiptId   unique per receipt; also the AMQP message id
 * @param declarationId the platform's id of the declaration
 * @param agency      who answers
 * @param kind        acknowledgement (120, at once), decision (after the agency's rules), or settlement
 *                    (899, what the agency did about its reservations once the outcome was known)
 * @param status      the CEB622 status
 * @param reasonCode  machine-readable reason, e.g. {@code OK}, {@code MSG_FORMAT}
 * @param message     human-readable explanation
 * @param decidedAt   when the agency decided
 * @param payload     optional typed details (e.g. a tax assessment); null when none
 */
public record Receipt(
        UUID receiptId,
        UUID declarationId,
        Agency agency,
        Kind kind,
        ReceiptStatus status,
        String reasonCode,
        String message,
        OffsetDateTime decidedAt,
        ReceiptPayload payload) {

    public enum Kind {
        ACKNOWLEDGEMENT,
        DECISION,
        /** The follow-up on the outcome: reservations committed (cleared) or released (rejected, cancelled). */
        SETTLEMENT
    }

    public int statusCode() {
        return status.code();
    }

    /** The logical, versioned routing key: {@code receipt.<agency>.<status>.v1}. */
    public String routingKey() {
        return Topology.receiptRoutingKey(agency, status);
    }
}

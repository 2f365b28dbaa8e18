package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An agency's answer about one declaration (CEB622-style).
 *
 * @param receiptId   unique per receipt; also the AMQP message id
 * @param declarationId the platform's id of the declaration
 * @param agency      who answers
 * @param kind        acknowledgement (120, at once), decision (after the agency's rules), settlement
 *                    (901, what the agency did about its reservations once the outcome was known),
 *                    withdrawal (903 or 100, its answer to a withdrawal after release), movement (904) or
 *                    return (905, a return of some lines settled; the payload names the return)
 * @param status      the CEB622 status, or the platform's 9xx one
 * @param reasonCode  machine-readable reason, e.g. {@code OK}, {@code MSG_FORMAT}
 * @param message     human-readable explanation
 * @param decidedAt   when the agency decided
 * @param payload     optional typed details (e.g. a tax assessment); null when none
 * @param version     the version of the declaration the agency answers about (null is read as 1): the
 *                    window does not let an answer about an amended-away version decide
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
        ReceiptPayload payload,
        Integer version) {

    public Receipt(UUID receiptId, UUID declarationId, Agency agency, Kind kind, ReceiptStatus status, String reasonCode,
                   String message, OffsetDateTime decidedAt, ReceiptPayload payload) {
        this(receiptId, declarationId, agency, kind, status, reasonCode, message, decidedAt, payload, 1);
    }

    /** The version answered about, 1 when the receipt does not say. */
    public int versionOrFirst() {
        return version == null ? 1 : version;
    }

    public enum Kind {
        ACKNOWLEDGEMENT,
        DECISION,
        /** The follow-up on the outcome: reservations committed (cleared) or released (rejected, cancelled). */
        SETTLEMENT,
        /**
         * A withdrawal after release: logistics's answer to the application (903 withdrawn, the goods held in
         * the zone and the stock restored; or 100 refused, the goods have left), then every other agency's
         * restoration of what it committed (903).
         */
        WITHDRAWAL,
        /** The goods moved (logistics, 904 left the bonded zone): shown on the timeline, never a decision. */
        MOVEMENT,
        /**
         * A return of some lines (905, payload {@link ReceiptPayload.ReturnRef}): logistics first, once the goods
         * are back in the zone, then every other agency settling the returned lines.
         */
        RETURN
    }

    public int statusCode() {
        return status.code();
    }

    /** The logical, versioned routing key: {@code receipt.<agency>.<status>.v1}. */
    public String routingKey() {
        return Topology.receiptRoutingKey(agency, status);
    }
}

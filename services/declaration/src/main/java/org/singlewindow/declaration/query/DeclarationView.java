package org.singlewindow.declaration.query;

import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** What an enterprise sees of one declaration: status, each agency's answers, the timeline. */
public record DeclarationView(
        UUID id,
        UUID guid,
        String enterpriseId,
        String declarationType,
        String ebpCode,
        String orderNo,
        String preNo,
        String invtNo,
        String status,
        OffsetDateTime submittedAt,
        OffsetDateTime updatedAt,
        OffsetDateTime finalAt,
        List<AgencyState> agencies,
        List<ReceiptView> receipts,
        FollowUps followUps,
        Withdrawal withdrawal,
        OffsetDateTime leftZoneAt,
        OffsetDateTime clearanceCompletedAt,
        List<ReturnView> returns,
        int version,
        List<VersionView> versions,
        List<CebMessage> messages,
        List<TimelineEntry> timeline,
        @JsonRawValue String declaration) {

    /** One agency's acknowledgement, latest decision, settlement of the outcome, and restoration after a withdrawal. */
    public record AgencyState(String agency, boolean acknowledged, String decision, Integer decisionCode,
                              String reasonCode, OffsetDateTime decidedAt, String settlement, OffsetDateTime settledAt,
                              String withdrawal, OffsetDateTime withdrawnAt) {
    }

    /**
     * A withdrawal after release under way or done: why and when the enterprise applied, which agencies have
     * restored what they committed, and when all five had (the status is then {@code WITHDRAWN}). Null when
     * none was applied for, or after logistics refused one (the timeline says why).
     */
    public record Withdrawal(String reason, OffsetDateTime requestedAt, List<String> restored, OffsetDateTime completedAt) {
    }

    /**
     * The follow-ups of a final outcome: every agency was asked at {@code requestedAt} to commit
     * ({@code CLEARED}) or release ({@code REJECTED}, {@code CANCELLED}) what it reserved; {@code settled}
     * lists those that answered; {@code completedAt} is set when all five have. Null before the outcome.
     */
    public record FollowUps(String outcome, OffsetDateTime requestedAt, List<String> settled, OffsetDateTime completedAt) {
    }

    /**
     * A return of some lines: {@code APPLIED} (its application, CEB625, waits for a customs officer), {@code APPROVED}
     * (customs approved it, {@code approvedAt}: the goods expected back by {@code receiveBy}; {@code overdue} after
     * that), {@code ARRIVED} (logistics reported the goods back, {@code arrivedAt}: they wait for customs' check),
     * {@code REFUSED} (customs refused the application or the goods on arrival, {@code refusal} says why; final,
     * nothing settled), {@code RECEIVED} (customs accepted the goods, {@code receivedAt}: every agency settles),
     * {@code COMPLETED} (every agency settled the returned lines; {@code settled} lists those that have).
     */
    public record ReturnView(UUID returnId, List<ReturnLineView> lines, String reason, OffsetDateTime requestedAt,
                             OffsetDateTime receiveBy, String state, OffsetDateTime receivedAt, OffsetDateTime completedAt,
                             List<String> settled, boolean overdue, OffsetDateTime approvedAt, String refusal,
                             OffsetDateTime arrivedAt) {
    }

    public record ReturnLineView(int gnum, String itemRecordNo, java.math.BigDecimal quantity, java.math.BigDecimal declaredQuantity) {
    }

    /** The version the receipt answered about: an answer about an amended-away version is kept but no longer decides. */
    public record ReceiptView(UUID receiptId, String agency, String kind, String status, int statusCode,
                              String reasonCode, String message, OffsetDateTime decidedAt, OffsetDateTime receivedAt,
                              @JsonRawValue String payload, int version) {
    }

    /** One version of an amended declaration: 1 as submitted, then each amendment, with the fields it changed. */
    public record VersionView(int version, String changedBy, OffsetDateTime changedAt, List<String> changes) {
    }

    /**
     * A CEB XML message the declaration was filed from: its kind and guid, who sent it and when, the SHA-256 of
     * the message as received, and, when it was signed, the signature method and the SHA-256 fingerprint of the
     * registered certificate it verified with (the record that the sender sent exactly this).
     */
    public record CebMessage(String kind, String guid, String sender, OffsetDateTime receivedAt, String sha256,
                             String signatureAlgorithm, String signerCertificateSha256) {
    }

    public record TimelineEntry(OffsetDateTime at, String kind, String agency, String detail) {
    }

    /** A row of the list. */
    public record Summary(UUID id, String enterpriseId, String declarationType, String ebpCode, String orderNo,
                          String status, OffsetDateTime submittedAt, OffsetDateTime updatedAt) {
    }
}

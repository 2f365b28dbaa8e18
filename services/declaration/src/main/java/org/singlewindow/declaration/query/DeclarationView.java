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
        String status,
        OffsetDateTime submittedAt,
        OffsetDateTime updatedAt,
        OffsetDateTime finalAt,
        List<AgencyState> agencies,
        List<ReceiptView> receipts,
        FollowUps followUps,
        List<TimelineEntry> timeline,
        @JsonRawValue String declaration) {

    /** One agency's acknowledgement, latest decision, and settlement of the outcome. */
    public record AgencyState(String agency, boolean acknowledged, String decision, Integer decisionCode,
                              String reasonCode, OffsetDateTime decidedAt, String settlement, OffsetDateTime settledAt) {
    }

    /**
     * The follow-ups of a final outcome: every agency was asked at {@code requestedAt} to commit
     * ({@code CLEARED}) or release ({@code REJECTED}, {@code CANCELLED}) what it reserved; {@code settled}
     * lists those that answered; {@code completedAt} is set when all five have. Null before the outcome.
     */
    public record FollowUps(String outcome, OffsetDateTime requestedAt, List<String> settled, OffsetDateTime completedAt) {
    }

    public record ReceiptView(UUID receiptId, String agency, String kind, String status, int statusCode,
                              String reasonCode, String message, OffsetDateTime decidedAt, OffsetDateTime receivedAt,
                              @JsonRawValue String payload) {
    }

    public record TimelineEntry(OffsetDateTime at, String kind, String agency, String detail) {
    }

    /** A row of the list. */
    public record Summary(UUID id, String enterpriseId, String declarationType, String ebpCode, String orderNo,
                          String status, OffsetDateTime submittedAt, OffsetDateTime updatedAt) {
    }
}

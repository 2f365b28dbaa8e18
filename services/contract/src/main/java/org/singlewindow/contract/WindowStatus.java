package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The window's consolidated status of one declaration, as its internal API answers the platform's services
 * ({@code GET /internal/v1/declarations/{id}/window-status}, role {@code platform-service}): the declaration service
 * writes it, an agency's back-office reads it.
 *
 * @param agencies each agency's answer about the current version
 */
public record WindowStatus(UUID id, String status, OffsetDateTime submittedAt, OffsetDateTime finalAt,
                           List<AgencyDecision> agencies) {

    /** One agency's answer: acknowledged, its decision and its code ({@code 800}, ...), and why. */
    public record AgencyDecision(String agency, boolean acknowledged, String decision, Integer statusCode, String reasonCode) {
    }
}

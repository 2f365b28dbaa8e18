package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Event {@code declaration.return-requested.v1}: the enterprise applied to return some lines of a cleared
 * declaration (GACC 2018 No.194 §12). Logistics waits for the goods to come back to the bonded zone by
 * {@code receiveBy} (45 days after release); the other agencies act once they have ({@link DeclarationReturned}).
 */
public record DeclarationReturnRequested(UUID declarationId, UUID returnId, List<ReturnLine> lines, String reason,
                                         OffsetDateTime receiveBy, OffsetDateTime requestedAt) {
}

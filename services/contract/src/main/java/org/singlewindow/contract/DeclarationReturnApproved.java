package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Event {@code declaration.return-approved.v1}: customs approved an application to return some lines of a cleared
 * declaration (its CEB625, answered CEB626). Logistics may receive the goods from then on; the other agencies take
 * no action on it.
 */
public record DeclarationReturnApproved(UUID declarationId, UUID returnId, OffsetDateTime approvedAt) {
}

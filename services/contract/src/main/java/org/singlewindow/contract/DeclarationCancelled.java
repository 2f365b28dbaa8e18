package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Event {@code declaration.cancelled.v1}: the enterprise cancelled a declaration that was not yet final. */
public record DeclarationCancelled(UUID declarationId, String reason, OffsetDateTime cancelledAt) {
}

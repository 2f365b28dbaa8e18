package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Event {@code declaration.submitted.v1}: a declaration was accepted by the single window. */
public record DeclarationSubmitted(UUID declarationId, String enterpriseId, OffsetDateTime submittedAt,
                                   Declaration declaration) {
}

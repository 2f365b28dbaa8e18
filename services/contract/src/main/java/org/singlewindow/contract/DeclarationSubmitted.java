package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Event {@code declaration.submitted.v1}: a declaration was accepted by the single window; and, with the
 * type {@code declaration.amended.v1}, a new version of it (amended before release: every agency decides
 * again on it, releasing what it reserved for the earlier version).
 *
 * @param version 1 for the declaration as submitted (null is read as 1), then 2, 3… for each amendment
 */
public record DeclarationSubmitted(UUID declarationId, String enterpriseId, OffsetDateTime submittedAt,
                                   Declaration declaration, Integer version) {

    public DeclarationSubmitted(UUID declarationId, String enterpriseId, OffsetDateTime submittedAt, Declaration declaration) {
        this(declarationId, enterpriseId, submittedAt, declaration, 1);
    }

    /** The version, 1 when the event does not say. */
    public int versionOrFirst() {
        return version == null ? 1 : version;
    }
}

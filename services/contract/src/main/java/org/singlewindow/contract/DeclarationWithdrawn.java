package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Event {@code declaration.withdrawn.v1}: logistics accepted a withdrawal after release. Every agency
 * restores what it committed on clearance (tax bill voided and its tax taken off what is owed, the consumer's and
 * the payer's yearly totals reduced) and answers with a {@link Receipt.Kind#WITHDRAWAL} receipt (903).
 */
public record DeclarationWithdrawn(UUID declarationId, String reason, OffsetDateTime withdrawnAt) {
}

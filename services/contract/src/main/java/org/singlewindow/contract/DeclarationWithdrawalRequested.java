package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Event {@code declaration.withdrawal-requested.v1}: the enterprise applied to withdraw a declaration
 * after release. Logistics alone answers (a {@link Receipt.Kind#WITHDRAWAL} receipt): withdrawn if the
 * goods are still in the bonded zone — it then holds them there and restores the stock — refused if they
 * have left. The other agencies take no action on it.
 */
public record DeclarationWithdrawalRequested(UUID declarationId, String reason, OffsetDateTime requestedAt) {
}

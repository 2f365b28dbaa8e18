package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Event {@code declaration.withdrawal-approved.v1}: customs approved an application to withdraw a declaration after
 * release (its CEB623, answered CEB624). Logistics then answers it (a {@link Receipt.Kind#WITHDRAWAL} receipt):
 * withdrawn if the goods are still in the bonded zone — it holds them there and restores the stock — or refused if
 * they have left meanwhile. The other agencies take no action on it.
 */
public record DeclarationWithdrawalApproved(UUID declarationId, String reason, OffsetDateTime approvedAt) {
}

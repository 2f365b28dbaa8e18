package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Event {@code declaration.withdrawal-requested.v1}: the enterprise applied to withdraw a declaration after release
 * (customs' CEB623 撤销申请单). Customs reviews it (a {@link Receipt.Kind#WITHDRAWAL} receipt: 300 while an officer
 * reviews it, then 800 approved or 100 refused); once approved ({@link DeclarationWithdrawalApproved}) logistics
 * checks that the goods are still in the bonded zone. The other agencies take no action on it.
 */
public record DeclarationWithdrawalRequested(UUID declarationId, String reason, OffsetDateTime requestedAt) {
}

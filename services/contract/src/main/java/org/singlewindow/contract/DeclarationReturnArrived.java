package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Event {@code declaration.return-arrived.v1}: the goods of an approved return arrived back in the bonded zone
 * (logistics reported them). They wait there for customs' check — returned goods must come back in their original
 * state and fit for resale (GACC 2018 No.194 item 12: 符合二次销售要求…以原状运抵) —; nothing is put back on an account
 * and nothing is settled until customs has accepted them ({@link DeclarationReturned}) or refused them ({@link DeclarationReturnRefused}).
 */
public record DeclarationReturnArrived(UUID declarationId, UUID returnId, OffsetDateTime arrivedAt) {
}

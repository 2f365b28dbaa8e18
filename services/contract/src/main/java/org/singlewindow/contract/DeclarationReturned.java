package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Event {@code declaration.returned.v1}: the returned goods are back in the bonded zone and customs accepted them on
 * its check ({@link DeclarationReturnArrived}). Every agency settles the returned lines once per return (logistics
 * puts the goods back on the owner's bonded accounts; tax voids their tax, takes it off what is owed and their value
 * out of the consumer's year) and answers with a {@link Receipt.Kind#RETURN} receipt.
 */
public record DeclarationReturned(UUID declarationId, UUID returnId, List<ReturnLine> lines, OffsetDateTime receivedAt) {
}

package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Event {@code declaration.return-refused.v1}: customs refused a return — its application (CEB625 answered 100), or
 * its goods on arrival (they do not match what was applied for). Nothing of it is settled: an agency that expected it
 * stops expecting it (logistics closes the return; tax no longer waits for it before the tax falls due).
 */
public record DeclarationReturnRefused(UUID declarationId, UUID returnId, OffsetDateTime refusedAt, String reason) {
}

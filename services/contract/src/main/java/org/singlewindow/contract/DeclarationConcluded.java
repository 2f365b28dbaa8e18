package org.singlewindow.contract;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Event {@code declaration.concluded.v1}: the single window consolidated a final outcome from the
 * agencies' decisions — {@code CLEARED} (every agency released it) or {@code REJECTED} (one rejected it).
 * Agencies settle what they reserved — commit it on clearance, release it on rejection — and answer
 * with a {@link Receipt.Kind#SETTLEMENT} receipt, so the window's timeline shows each follow-up.
 * (A cancellation is {@code declaration.cancelled.v1}; it is settled the same way.)
 */
public record DeclarationConcluded(UUID declarationId, Outcome outcome, OffsetDateTime concludedAt) {
}

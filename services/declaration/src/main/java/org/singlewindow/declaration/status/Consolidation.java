package org.singlewindow.declaration.status;

import org.singlewindow.contract.Agency;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptStatus;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/**
 * The consolidation rule, a pure function of the receipts so far (in any order of arrival):
 * <ul>
 *   <li>a final status stays final;</li>
 *   <li>any agency's decision REJECTED (100) → REJECTED;</li>
 *   <li>every one of the five agencies' latest decision RELEASED (800) → CLEARED;</li>
 *   <li>any agency's latest decision a hold (300 manual review, 500 inspection) → HELD;</li>
 *   <li>any receipt at all → IN_REVIEW; none → RECEIVED.</li>
 * </ul>
 * An agency's latest decision is the one with the latest {@code decidedAt}; acknowledgements (120)
 * and closures (899) never decide.
 */
public final class Consolidation {

    /** A receipt as far as consolidation cares. */
    public record Answer(Agency agency, Receipt.Kind kind, ReceiptStatus status, OffsetDateTime decidedAt) {
    }

    private Consolidation() {
    }

    public static DeclarationStatus consolidate(DeclarationStatus current, Collection<Answer> answers) {
        if (current.isFinal()) {
            return current;
        }
        Map<Agency, Answer> latest = new EnumMap<>(Agency.class);
        for (Answer answer : answers) {
            if (answer.kind() != Receipt.Kind.DECISION || answer.status() == ReceiptStatus.CLOSED
                    || answer.status() == ReceiptStatus.ACCEPTED) {
                continue;
            }
            if (answer.status() == ReceiptStatus.REJECTED) {
                return DeclarationStatus.REJECTED;
            }
            latest.merge(answer.agency(), answer,
                    (a, b) -> b.decidedAt().isAfter(a.decidedAt()) ? b : a);
        }
        if (latest.size() == Agency.values().length
                && latest.values().stream().allMatch(a -> a.status() == ReceiptStatus.RELEASED)) {
            return DeclarationStatus.CLEARED;
        }
        if (latest.values().stream().anyMatch(a -> a.status().isHold())) {
            return DeclarationStatus.HELD;
        }
        return answers.isEmpty() ? DeclarationStatus.RECEIVED : DeclarationStatus.IN_REVIEW;
    }
}

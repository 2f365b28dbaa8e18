package org.singlewindow.declaration.status;

import org.singlewindow.declaration.lifecycle.DeclarationStatus;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptStatus;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;

/**
 * The consolidation rule, folded over the receipts as they arrive (in any order of arrival, the
 * same answer):
 * <ul>
 *   <li>a final status stays final;</li>
 *   <li>any agency's decision REJECTED (100) → REJECTED;</li>
 *   <li>every one of the five agencies' latest decision RELEASED (800) → CLEARED;</li>
 *   <li>any agency's latest decision a hold (300 manual review, 500 inspection) → HELD;</li>
 *   <li>any receipt at all → IN_REVIEW; none → RECEIVED.</li>
 * </ul>
 * An agency's latest decision is the one with the latest {@code decidedAt}; acknowledgements (120),
 * closures without a decision (902), settlements (901), withdrawals (903) and movements (904) never decide. {@link Progress} is the whole state the rule needs — each agency's
 * latest decision and its time, whether anything came, whether anyone rejected, who settled — and is
 * what the window keeps per declaration, so a receipt never makes it re-read the others.
 */
public final class Consolidation {

    /** A receipt as far as consolidation cares. */
    public record Answer(Agency agency, Receipt.Kind kind, ReceiptStatus status, OffsetDateTime decidedAt) {
    }

    /** A bit per agency ({@link Agency#ordinal()}), all five set: who settled, restored, or settled a return. */
    public static final int ALL_AGENCIES = (1 << Agency.values().length) - 1;

    private Consolidation() {
    }

    /** The rule over a set of answers (what {@link Progress} computes incrementally). */
    public static DeclarationStatus consolidate(DeclarationStatus current, Collection<Answer> answers) {
        Progress progress = new Progress();
        answers.forEach(progress::apply);
        return progress.status(current);
    }

    /** The consolidation state of one declaration. */
    public static final class Progress {

        private final ReceiptStatus[] decision = new ReceiptStatus[Agency.values().length];
        private final OffsetDateTime[] decidedAt = new OffsetDateTime[Agency.values().length];
        private boolean answered;
        private boolean rejected;
        private int settled;
        private int withdrawn;

        public Progress() {
        }

        /** As kept: {@code decisions} and {@code decidedAt} indexed by {@link Agency#ordinal()}. */
        public Progress(boolean answered, boolean rejected, int settled, int withdrawn, ReceiptStatus[] decisions,
                        OffsetDateTime[] decidedAt) {
            this.answered = answered;
            this.rejected = rejected;
            this.settled = settled;
            this.withdrawn = withdrawn;
            System.arraycopy(decisions, 0, this.decision, 0, this.decision.length);
            System.arraycopy(decidedAt, 0, this.decidedAt, 0, this.decidedAt.length);
        }

        /** Take one more answer into account. */
        public void apply(Answer answer) {
            answered = true;
            int i = answer.agency().ordinal();
            if (answer.kind() == Receipt.Kind.SETTLEMENT) {
                settled |= 1 << i;
                return;
            }
            if (answer.kind() == Receipt.Kind.WITHDRAWAL && answer.status() == ReceiptStatus.WITHDRAWN) {
                withdrawn |= 1 << i;
                return;
            }
            if (answer.kind() != Receipt.Kind.DECISION || answer.status() == ReceiptStatus.VOID
                    || answer.status() == ReceiptStatus.ACCEPTED) {
                return;
            }
            if (answer.status() == ReceiptStatus.REJECTED) {
                rejected = true;
            }
            if (decidedAt[i] == null || answer.decidedAt().isAfter(decidedAt[i])) {
                decision[i] = answer.status();
                decidedAt[i] = answer.decidedAt();
            }
        }

        /** The consolidated status, given the one the declaration has now. */
        public DeclarationStatus status(DeclarationStatus current) {
            if (current.isFinal()) {
                return current;
            }
            if (rejected) {
                return DeclarationStatus.REJECTED;
            }
            if (Arrays.stream(decision).allMatch(s -> s == ReceiptStatus.RELEASED)) {
                return DeclarationStatus.CLEARED;
            }
            if (Arrays.stream(decision).anyMatch(s -> s != null && s.isHold())) {
                return DeclarationStatus.HELD;
            }
            return answered ? DeclarationStatus.IN_REVIEW : DeclarationStatus.RECEIVED;
        }

        /** Every agency has settled the outcome (the follow-ups are complete). */
        public boolean allSettled() {
            return settled == ALL_AGENCIES;
        }

        /** Every agency has restored what it committed (a withdrawal after release is complete). */
        public boolean allWithdrawn() {
            return withdrawn == ALL_AGENCIES;
        }

        public int withdrawn() {
            return withdrawn;
        }

        public boolean answered() {
            return answered;
        }

        public boolean rejected() {
            return rejected;
        }

        public int settled() {
            return settled;
        }

        public ReceiptStatus decision(Agency agency) {
            return decision[agency.ordinal()];
        }

        public OffsetDateTime decidedAt(Agency agency) {
            return decidedAt[agency.ordinal()];
        }
    }
}

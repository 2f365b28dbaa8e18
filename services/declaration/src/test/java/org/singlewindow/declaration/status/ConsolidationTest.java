package org.singlewindow.declaration.status;

import org.singlewindow.declaration.lifecycle.DeclarationStatus;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptStatus;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.singlewindow.declaration.status.Consolidation.consolidate;

class ConsolidationTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-28T10:00:00Z");

    private static Consolidation.Answer ack(Agency agency) {
        return new Consolidation.Answer(agency, Receipt.Kind.ACKNOWLEDGEMENT, ReceiptStatus.ACCEPTED, T0);
    }

    private static Consolidation.Answer decision(Agency agency, ReceiptStatus status, int seconds) {
        return new Consolidation.Answer(agency, Receipt.Kind.DECISION, status, T0.plusSeconds(seconds));
    }

    private static List<Consolidation.Answer> allReleased() {
        List<Consolidation.Answer> answers = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            answers.add(ack(agency));
            answers.add(decision(agency, ReceiptStatus.RELEASED, 1));
        }
        return answers;
    }

    @Test
    void staysReceivedUntilAnAgencyAnswers() {
        assertThat(consolidate(DeclarationStatus.RECEIVED, List.of())).isEqualTo(DeclarationStatus.RECEIVED);
    }

    @Test
    void anAcknowledgementMovesItIntoReview() {
        assertThat(consolidate(DeclarationStatus.RECEIVED, List.of(ack(Agency.TAX)))).isEqualTo(DeclarationStatus.IN_REVIEW);
    }

    @Test
    void clearsOnlyWhenAllFiveAgenciesRelease() {
        List<Consolidation.Answer> four = new ArrayList<>(allReleased());
        four.removeIf(a -> a.agency() == Agency.FOREX && a.kind() == Receipt.Kind.DECISION);
        assertThat(consolidate(DeclarationStatus.IN_REVIEW, four)).isEqualTo(DeclarationStatus.IN_REVIEW);
        assertThat(consolidate(DeclarationStatus.IN_REVIEW, allReleased())).isEqualTo(DeclarationStatus.CLEARED);
    }

    @Test
    void theOrderOfArrivalDoesNotMatter() {
        List<Consolidation.Answer> answers = new ArrayList<>(allReleased());
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(answers, new java.util.Random(i));
            assertThat(consolidate(DeclarationStatus.RECEIVED, answers)).isEqualTo(DeclarationStatus.CLEARED);
        }
    }

    @Test
    void oneRejectionRejectsEvenIfOthersRelease() {
        List<Consolidation.Answer> answers = new ArrayList<>(allReleased());
        answers.add(decision(Agency.CUSTOMS, ReceiptStatus.REJECTED, 0));
        assertThat(consolidate(DeclarationStatus.IN_REVIEW, answers)).isEqualTo(DeclarationStatus.REJECTED);
    }

    @Test
    void aHoldIsHeldUntilTheOfficerReleases() {
        List<Consolidation.Answer> answers = new ArrayList<>(allReleased());
        answers.removeIf(a -> a.agency() == Agency.INSPECTION && a.kind() == Receipt.Kind.DECISION);
        answers.add(decision(Agency.INSPECTION, ReceiptStatus.INSPECTION, 1));
        assertThat(consolidate(DeclarationStatus.IN_REVIEW, answers)).isEqualTo(DeclarationStatus.HELD);

        answers.add(decision(Agency.INSPECTION, ReceiptStatus.RELEASED, 60));
        assertThat(consolidate(DeclarationStatus.HELD, answers)).isEqualTo(DeclarationStatus.CLEARED);
    }

    @Test
    void finalStatusesNeverChange() {
        List<Consolidation.Answer> rejection = List.of(decision(Agency.TAX, ReceiptStatus.REJECTED, 1));
        assertThat(consolidate(DeclarationStatus.CANCELLED, allReleased())).isEqualTo(DeclarationStatus.CANCELLED);
        assertThat(consolidate(DeclarationStatus.CLEARED, rejection)).isEqualTo(DeclarationStatus.CLEARED);
        assertThat(consolidate(DeclarationStatus.REJECTED, allReleased())).isEqualTo(DeclarationStatus.REJECTED);
    }

    @Test
    void closuresAfterCancellationDoNotDecide() {
        List<Consolidation.Answer> answers = List.of(ack(Agency.CUSTOMS),
                decision(Agency.CUSTOMS, ReceiptStatus.VOID, 2));
        assertThat(consolidate(DeclarationStatus.IN_REVIEW, answers)).isEqualTo(DeclarationStatus.IN_REVIEW);
    }

    @Test
    void theStateKeptBetweenBatchesGivesTheSameAnswerAsAllTheReceiptsAtOnce() {
        List<Consolidation.Answer> answers = new ArrayList<>(allReleased());
        answers.add(decision(Agency.INSPECTION, ReceiptStatus.INSPECTION, 0));
        Collections.shuffle(answers, new java.util.Random(7));
        for (int split = 0; split <= answers.size(); split++) {
            Consolidation.Progress first = new Consolidation.Progress();
            answers.subList(0, split).forEach(first::apply);
            // kept as a row, read back, then the rest applied
            ReceiptStatus[] decisions = new ReceiptStatus[Agency.values().length];
            OffsetDateTime[] decidedAt = new OffsetDateTime[Agency.values().length];
            for (Agency agency : Agency.values()) {
                decisions[agency.ordinal()] = first.decision(agency);
                decidedAt[agency.ordinal()] = first.decidedAt(agency);
            }
            Consolidation.Progress second = new Consolidation.Progress(first.answered(), first.rejected(), first.settled(),
                    first.withdrawn(), decisions, decidedAt);
            answers.subList(split, answers.size()).forEach(second::apply);
            assertThat(second.status(DeclarationStatus.RECEIVED)).as("split at %d", split)
                    .isEqualTo(consolidate(DeclarationStatus.RECEIVED, answers)).isEqualTo(DeclarationStatus.CLEARED);
        }
    }

    @Test
    void theFollowUpsAreCompleteWhenAllFiveHaveSettled() {
        Consolidation.Progress progress = new Consolidation.Progress();
        for (Agency agency : Agency.values()) {
            assertThat(progress.allSettled()).isFalse();
            progress.apply(new Consolidation.Answer(agency, Receipt.Kind.SETTLEMENT, ReceiptStatus.SETTLED, T0));
            // a repeated settlement counts once
            progress.apply(new Consolidation.Answer(agency, Receipt.Kind.SETTLEMENT, ReceiptStatus.SETTLED, T0));
        }
        assertThat(progress.allSettled()).isTrue();
        assertThat(progress.allWithdrawn()).isFalse();
    }

    @Test
    void aWithdrawalIsCompleteWhenAllFiveHaveRestoredAndNeitherItNorAMovementDecides() {
        Consolidation.Progress progress = new Consolidation.Progress();
        allReleased().forEach(progress::apply);
        progress.apply(new Consolidation.Answer(Agency.LOGISTICS, Receipt.Kind.MOVEMENT, ReceiptStatus.LEFT_ZONE, T0.plusSeconds(30)));
        // logistics refusing a withdrawal is no rejection of the declaration
        progress.apply(new Consolidation.Answer(Agency.LOGISTICS, Receipt.Kind.WITHDRAWAL, ReceiptStatus.REJECTED, T0.plusSeconds(40)));
        assertThat(progress.status(DeclarationStatus.RECEIVED)).isEqualTo(DeclarationStatus.CLEARED);
        assertThat(progress.allWithdrawn()).isFalse();
        for (Agency agency : Agency.values()) {
            assertThat(progress.allWithdrawn()).isFalse();
            progress.apply(new Consolidation.Answer(agency, Receipt.Kind.WITHDRAWAL, ReceiptStatus.WITHDRAWN, T0.plusSeconds(50)));
        }
        assertThat(progress.allWithdrawn()).isTrue();
        assertThat(progress.decision(Agency.LOGISTICS)).isEqualTo(ReceiptStatus.RELEASED);
        assertThat(consolidate(DeclarationStatus.WITHDRAWING, allReleased())).isEqualTo(DeclarationStatus.WITHDRAWING);
    }
}

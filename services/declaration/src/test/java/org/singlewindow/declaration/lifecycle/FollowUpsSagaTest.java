package org.singlewindow.declaration.lifecycle;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.AWAITING_PARTIES;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.CANCELLED;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.CLEARED;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.HELD;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.IN_REVIEW;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.RECEIVED;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.REJECTED;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.WITHDRAWING;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.WITHDRAWN;

/** Every path of the follow-ups, in memory. */
class FollowUpsSagaTest {

    @Test
    void anOutcomeAsksEveryAgencyToCommitOrRelease() {
        assertThat(FollowUpsSaga.requested(IN_REVIEW, CLEARED)).isEqualTo(Outcome.CLEARED);
        assertThat(FollowUpsSaga.requested(RECEIVED, REJECTED)).isEqualTo(Outcome.REJECTED);
        assertThat(FollowUpsSaga.requested(HELD, CANCELLED)).isEqualTo(Outcome.CANCELLED);
        assertThat(FollowUpsSaga.requestDetail(Outcome.CLEARED)).contains("commit");
        assertThat(FollowUpsSaga.requestDetail(Outcome.REJECTED)).contains("release");
        assertThat(FollowUpsSaga.requestDetail(Outcome.CANCELLED)).contains("release");
    }

    @Test
    void nothingIsAskedWhereNoAgencyReservedOrTheOutcomeWasSettledBefore() {
        assertThat(FollowUpsSaga.requested(AWAITING_PARTIES, CANCELLED)).as("no agency saw it").isNull();
        assertThat(FollowUpsSaga.requested(WITHDRAWING, CLEARED)).as("a refused withdrawal: cleared and settled before").isNull();
        assertThat(FollowUpsSaga.requested(WITHDRAWING, WITHDRAWN)).as("the withdrawal's own restoration").isNull();
        assertThat(FollowUpsSaga.requested(RECEIVED, HELD)).isNull();
        assertThat(FollowUpsSaga.requested(RECEIVED, IN_REVIEW)).isNull();
    }

    @Test
    void theFollowUpsCompleteOnceWhenAllFiveSettled() {
        assertThat(FollowUpsSaga.completed(true, false)).isTrue();
        assertThat(FollowUpsSaga.completed(true, true)).as("a redelivered settlement").isFalse();
        assertThat(FollowUpsSaga.completed(false, false)).isFalse();
    }
}

package org.singlewindow.declaration.lifecycle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.singlewindow.declaration.lifecycle.AmendmentSaga.Step.DECIDED_AGAIN;
import static org.singlewindow.declaration.lifecycle.AmendmentSaga.Step.KEPT_AWAITING_PARTIES;
import static org.singlewindow.declaration.lifecycle.AmendmentSaga.Step.REFUSED_FINAL;
import static org.singlewindow.declaration.lifecycle.AmendmentSaga.Step.REFUSED_HELD;
import static org.singlewindow.declaration.lifecycle.AmendmentSaga.Step.UNCHANGED;

/** Every path of an amendment, in memory. */
class AmendmentSagaTest {

    @Test
    void anOpenDeclarationIsDecidedAgainAndStartsReceived() {
        assertThat(AmendmentSaga.amend(DeclarationStatus.RECEIVED, true)).isEqualTo(DECIDED_AGAIN);
        assertThat(AmendmentSaga.amend(DeclarationStatus.IN_REVIEW, true)).isEqualTo(DECIDED_AGAIN);
        // the status it starts again from is one the declaration may take
        assertThat(DeclarationCase.allows(DeclarationStatus.IN_REVIEW, DeclarationStatus.RECEIVED)).isTrue();
    }

    @Test
    void oneNoAgencySawKeepsWaitingForItsParties() {
        assertThat(AmendmentSaga.amend(DeclarationStatus.AWAITING_PARTIES, true)).isEqualTo(KEPT_AWAITING_PARTIES);
    }

    @Test
    void aHeldDeclarationWaitsForItsOfficer() {
        assertThat(AmendmentSaga.amend(DeclarationStatus.HELD, true)).isEqualTo(REFUSED_HELD);
        assertThat(DeclarationCase.allows(DeclarationStatus.HELD, DeclarationStatus.RECEIVED)).isFalse();
    }

    @Test
    void theSameBodyAgainChangesNothing() {
        assertThat(AmendmentSaga.amend(DeclarationStatus.RECEIVED, false)).isEqualTo(UNCHANGED);
        assertThat(AmendmentSaga.amend(DeclarationStatus.HELD, false)).isEqualTo(UNCHANGED);
    }

    @Test
    void aFinalDeclarationIsNeverAmendedEvenUnchanged() {
        for (DeclarationStatus status : DeclarationStatus.values()) {
            if (status.isFinal()) {
                assertThat(AmendmentSaga.amend(status, true)).as(status.name()).isEqualTo(REFUSED_FINAL);
                assertThat(AmendmentSaga.amend(status, false)).as(status.name()).isEqualTo(REFUSED_FINAL);
            }
        }
    }
}

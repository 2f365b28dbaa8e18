package org.singlewindow.declaration.lifecycle;

import org.junit.jupiter.api.Test;
import org.singlewindow.declaration.lifecycle.WithdrawalSaga.Answers;
import org.singlewindow.declaration.lifecycle.WithdrawalSaga.Kind;
import org.singlewindow.declaration.lifecycle.WithdrawalSaga.Step;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every path of the withdrawal saga, in memory: approved, accepted, restored by all; refused by either; replays. */
class WithdrawalSagaTest {

    private static List<Kind> kinds(Answers answers) {
        return WithdrawalSaga.after(answers).stream().map(Step::kind).toList();
    }

    @Test
    void approvedByCustomsAcceptedByLogisticsAndRestoredByAllIsWithdrawnOneStepAtATime() {
        assertThat(kinds(new Answers(false, false, false, false, null, false))).isEmpty(); // customs' 300: waits
        assertThat(kinds(new Answers(false, false, true, false, null, false))).containsExactly(Kind.APPROVED);
        assertThat(kinds(new Answers(true, false, false, true, null, false))).containsExactly(Kind.ACCEPTED);
        assertThat(kinds(new Answers(true, true, false, false, null, false))).isEmpty(); // some agencies restored
        assertThat(kinds(new Answers(true, true, false, false, null, true))).containsExactly(Kind.WITHDRAWN);
        // answers of one batch: taken in the saga's order
        assertThat(kinds(new Answers(false, false, true, true, null, true))).containsExactly(Kind.APPROVED, Kind.ACCEPTED, Kind.WITHDRAWN);
        assertThat(WithdrawalSaga.after(new Answers(true, true, false, false, null, true)).getFirst().detail())
                .isEqualTo("WITHDRAWING -> WITHDRAWN");
    }

    @Test
    void refusedByCustomsOrByLogisticsBeforeAnythingWasRestoredGoesBackToCleared() {
        List<Step> customs = WithdrawalSaga.after(new Answers(false, false, false, false, "customs refused the withdrawal — no", false));
        assertThat(customs).containsExactly(new Step(Kind.REFUSED, "customs refused the withdrawal — no"));
        List<Step> logistics = WithdrawalSaga.after(new Answers(true, false, false, false, "logistics refused the withdrawal — left", false));
        assertThat(logistics).extracting(Step::kind).containsExactly(Kind.REFUSED);
        // a refusal in the same batch as the approval: refused, nothing announced
        assertThat(kinds(new Answers(false, false, true, false, "logistics refused", false))).containsExactly(Kind.REFUSED);
    }

    @Test
    void aRefusalAfterLogisticsAcceptedChangesNothingAndRepliesAreIgnored() {
        // logistics accepted and put the stock back: a late refusal cannot undo that
        assertThat(kinds(new Answers(true, true, false, false, "customs refused", false))).isEmpty();
        assertThat(kinds(new Answers(true, false, false, true, "late refusal", false))).containsExactly(Kind.ACCEPTED);
        // an approval or an acceptance seen again announces nothing again
        assertThat(kinds(new Answers(true, false, true, false, null, false))).isEmpty();
        assertThat(kinds(new Answers(true, true, true, true, null, false))).isEmpty();
    }
}

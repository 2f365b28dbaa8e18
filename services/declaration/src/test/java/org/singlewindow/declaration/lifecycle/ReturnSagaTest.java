package org.singlewindow.declaration.lifecycle;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Agency;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.declaration.lifecycle.ReturnSaga.Announce;
import org.singlewindow.declaration.lifecycle.ReturnSaga.State;
import org.singlewindow.declaration.lifecycle.ReturnSaga.Step;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.singlewindow.contract.Agency.CUSTOMS;
import static org.singlewindow.contract.Agency.LOGISTICS;
import static org.singlewindow.contract.ReceiptStatus.ACCEPTED;
import static org.singlewindow.contract.ReceiptStatus.MANUAL_REVIEW;
import static org.singlewindow.contract.ReceiptStatus.REJECTED;
import static org.singlewindow.contract.ReceiptStatus.RELEASED;

/** Every path of the return saga, in memory: each step from each state, the refusals, and what is ignored. */
class ReturnSagaTest {

    /** Walk a path of answers from APPLIED, each step applied; the state it ends in. */
    private static State walk(Object... answers) {
        State state = State.APPLIED;
        for (Object answer : answers) {
            Step step = answer instanceof Boolean all ? ReturnSaga.settled(state, all)
                    : ReturnSaga.answered(state, ((Answer) answer).agency(), ((Answer) answer).status());
            state = step.next() == null ? state : step.next();
        }
        return state;
    }

    private record Answer(Agency agency, ReceiptStatus status) {
    }

    private static Answer customs(ReceiptStatus status) {
        return new Answer(CUSTOMS, status);
    }

    private static final Answer ARRIVED = new Answer(LOGISTICS, ACCEPTED);

    @Test
    void approvedArrivedAcceptedAndSettledByAllIsCompletedAnnouncingEachStep() {
        assertThat(ReturnSaga.answered(State.APPLIED, CUSTOMS, MANUAL_REVIEW))
                .isEqualTo(new Step(State.APPLIED, null, TimelineKind.RETURN_REVIEW, null));
        assertThat(ReturnSaga.answered(State.APPLIED, CUSTOMS, RELEASED))
                .isEqualTo(new Step(State.APPLIED, State.APPROVED, TimelineKind.RETURN_APPROVED, Announce.APPROVED));
        assertThat(ReturnSaga.answered(State.APPROVED, LOGISTICS, ACCEPTED))
                .isEqualTo(new Step(State.APPROVED, State.ARRIVED, TimelineKind.RETURN_ARRIVED, Announce.ARRIVED));
        assertThat(ReturnSaga.answered(State.ARRIVED, CUSTOMS, MANUAL_REVIEW))
                .isEqualTo(new Step(State.ARRIVED, null, TimelineKind.RETURN_CHECK, null));
        assertThat(ReturnSaga.answered(State.ARRIVED, CUSTOMS, RELEASED))
                .isEqualTo(new Step(State.ARRIVED, State.RECEIVED, TimelineKind.RETURN_RECEIVED, Announce.RETURNED));
        assertThat(ReturnSaga.settled(State.RECEIVED, false)).isEqualTo(Step.NONE);
        assertThat(ReturnSaga.settled(State.RECEIVED, true))
                .isEqualTo(new Step(State.RECEIVED, State.COMPLETED, TimelineKind.RETURN_COMPLETE, null));
        assertThat(walk(customs(MANUAL_REVIEW), customs(RELEASED), ARRIVED, customs(MANUAL_REVIEW), customs(RELEASED), false, true))
                .isEqualTo(State.COMPLETED);
    }

    @Test
    void refusedAtItsApplicationOrOnItsGoodsIsFinalAndAnnouncedSoThatNobodyWaits() {
        Step application = ReturnSaga.answered(State.APPLIED, CUSTOMS, REJECTED);
        assertThat(application).isEqualTo(new Step(State.APPLIED, State.REFUSED, TimelineKind.RETURN_REFUSED, Announce.REFUSED));
        assertThat(application.detail(UUID.randomUUID(), "not a return under §12")).contains("customs refused it — not a return");
        Step goods = ReturnSaga.answered(State.ARRIVED, CUSTOMS, REJECTED);
        assertThat(goods).isEqualTo(new Step(State.ARRIVED, State.REFUSED, TimelineKind.RETURN_REFUSED, Announce.REFUSED));
        assertThat(goods.detail(UUID.randomUUID(), "opened")).contains("customs refused its goods on arrival — opened");
        assertThat(walk(customs(RELEASED), ARRIVED, customs(REJECTED))).isEqualTo(State.REFUSED);
        // nothing moves a refused return: no arrival, no decision, no completion
        for (Answer late : new Answer[]{ARRIVED, customs(MANUAL_REVIEW), customs(RELEASED), customs(REJECTED)}) {
            assertThat(ReturnSaga.answered(State.REFUSED, late.agency(), late.status())).isEqualTo(Step.NONE);
        }
        assertThat(ReturnSaga.settled(State.REFUSED, true)).isEqualTo(Step.NONE);
    }

    @Test
    void goodsArriveOnlyOnceApprovedAndEachAnswerMovesTheSagaOnce() {
        // an arrival before the approval, or reported again, changes nothing
        assertThat(ReturnSaga.answered(State.APPLIED, LOGISTICS, ACCEPTED)).isEqualTo(Step.NONE);
        assertThat(ReturnSaga.answered(State.ARRIVED, LOGISTICS, ACCEPTED)).isEqualTo(Step.NONE);
        assertThat(ReturnSaga.answered(State.RECEIVED, LOGISTICS, ACCEPTED)).isEqualTo(Step.NONE);
        // a decision redelivered after the saga moved on changes nothing
        assertThat(ReturnSaga.answered(State.APPROVED, CUSTOMS, RELEASED)).isEqualTo(Step.NONE);
        assertThat(ReturnSaga.answered(State.RECEIVED, CUSTOMS, RELEASED)).isEqualTo(Step.NONE);
        assertThat(ReturnSaga.answered(State.COMPLETED, CUSTOMS, REJECTED)).isEqualTo(Step.NONE);
        assertThat(ReturnSaga.answered(State.APPROVED, CUSTOMS, MANUAL_REVIEW)).isEqualTo(Step.NONE);
        // settled by all, again: completed once
        assertThat(ReturnSaga.settled(State.COMPLETED, true)).isEqualTo(Step.NONE);
        assertThat(ReturnSaga.settled(State.ARRIVED, true)).isEqualTo(Step.NONE);
    }

    @Test
    void theDiagramInTheArchitecturePageIsTheSaga() throws Exception {
        // every step the saga takes, from every state and every answer it may get
        java.util.Set<String> taken = new java.util.TreeSet<>();
        Answer[] answers = {ARRIVED, customs(MANUAL_REVIEW), customs(RELEASED), customs(REJECTED)};
        for (State from : State.values()) {
            for (Answer answer : answers) {
                Step step = ReturnSaga.answered(from, answer.agency(), answer.status());
                if (step.next() != null) {
                    taken.add(from + " --> " + step.next());
                }
            }
            Step settled = ReturnSaga.settled(from, true);
            if (settled.next() != null) {
                taken.add(from + " --> " + settled.next());
            }
        }
        // the arrows of the page's diagram, between two states (not from or to [*])
        String page = java.nio.file.Files.readString(java.nio.file.Path.of("../../docs/architecture.md"));
        String diagram = page.substring(page.indexOf("<!-- return saga -->"));
        diagram = diagram.substring(diagram.indexOf("```mermaid"), diagram.indexOf("```", diagram.indexOf("```mermaid") + 3));
        java.util.Set<String> drawn = new java.util.TreeSet<>();
        java.util.regex.Matcher arrow = java.util.regex.Pattern.compile("(?m)^\\s*([A-Z]+) --> ([A-Z]+)").matcher(diagram);
        while (arrow.find()) {
            drawn.add(arrow.group(1) + " --> " + arrow.group(2));
        }
        assertThat(drawn).isEqualTo(taken);
        assertThat(diagram).contains("[*] --> APPLIED");
    }

    @Test
    void anAnswerNoStepTakesIsRefused() {
        assertThatThrownBy(() -> ReturnSaga.answered(State.APPROVED, CUSTOMS, ACCEPTED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only logistics reports");
        assertThatThrownBy(() -> ReturnSaga.answered(State.APPLIED, CUSTOMS, ReceiptStatus.INSPECTION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("120, 300, 800, 100 or 905");
    }
}

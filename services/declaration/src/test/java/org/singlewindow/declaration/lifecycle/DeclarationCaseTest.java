package org.singlewindow.declaration.lifecycle;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.AWAITING_PARTIES;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.CANCELLED;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.CLEARED;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.HELD;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.IN_REVIEW;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.RECEIVED;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.REJECTED;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.WITHDRAWING;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.WITHDRAWN;

/** Where a declaration may go, and the page's state diagram drawn from it. */
class DeclarationCaseTest {

    @Test
    void aFinalOutcomeIsFinalAndOnlyAClearanceIsWithdrawn() {
        for (DeclarationStatus end : EnumSet.of(REJECTED, CANCELLED, WITHDRAWN)) {
            for (DeclarationStatus to : DeclarationStatus.values()) {
                assertThat(DeclarationCase.allows(end, to)).as(end + " -> " + to).isFalse();
            }
        }
        assertThat(DeclarationCase.allows(CLEARED, WITHDRAWING)).isTrue();
        assertThat(DeclarationCase.allows(CLEARED, CANCELLED)).isFalse();
        assertThat(DeclarationCase.allows(REJECTED, WITHDRAWING)).isFalse();
        assertThat(DeclarationCase.allows(WITHDRAWING, CLEARED)).isTrue();
        assertThat(DeclarationCase.allows(WITHDRAWING, CANCELLED)).isFalse();
    }

    @Test
    void nothingReachesTheAgenciesBeforeItsPartiesConfirmed() {
        assertThat(DeclarationCase.allows(null, AWAITING_PARTIES)).isTrue();
        for (DeclarationStatus to : EnumSet.of(IN_REVIEW, HELD, CLEARED, REJECTED)) {
            assertThat(DeclarationCase.allows(AWAITING_PARTIES, to)).as("AWAITING_PARTIES -> " + to).isFalse();
        }
        assertThat(DeclarationCase.allows(AWAITING_PARTIES, RECEIVED)).isTrue();
    }

    @Test
    void aHeldDeclarationIsNotAmendedButMayBeCancelled() {
        assertThat(DeclarationCase.allows(HELD, RECEIVED)).isFalse();
        assertThat(DeclarationCase.allows(IN_REVIEW, RECEIVED)).isTrue();
        assertThat(DeclarationCase.allows(HELD, CANCELLED)).isTrue();
        assertThat(DeclarationCase.allows(HELD, IN_REVIEW)).as("an officer released one of several holds").isTrue();
    }

    @Test
    void aChangeNoArrowMakesIsADefect() {
        assertThatThrownBy(() -> DeclarationCase.check(WITHDRAWN, CLEARED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("WITHDRAWN to CLEARED");
        DeclarationCase.check(RECEIVED, CLEARED);
    }

    @Test
    void everyStatusIsReachedAndTheEndsEnd() {
        Set<DeclarationStatus> reached = DeclarationCase.ARROWS.stream().map(DeclarationCase.Arrow::to)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(DeclarationStatus.class)));
        assertThat(reached).containsExactlyInAnyOrder(DeclarationStatus.values());
        assertThat(ends()).containsExactlyInAnyOrder(REJECTED, CANCELLED, WITHDRAWN);
    }

    /** docs/architecture.md draws exactly {@link DeclarationCase#ARROWS}; on a difference, paste the expected block. */
    @Test
    void thePagesDiagramIsTheArrows() throws Exception {
        String page = Files.readString(Path.of("../../docs/architecture.md"));
        String marker = "<!-- declaration -->";
        assertThat(page).contains(marker);
        String from = page.substring(page.indexOf(marker) + marker.length());
        String drawn = from.substring(from.indexOf("```mermaid"), from.indexOf("```", from.indexOf("```mermaid") + 3) + 3);
        assertThat(drawn).isEqualTo(diagram());
    }

    private static Set<DeclarationStatus> ends() {
        Set<DeclarationStatus> ends = EnumSet.allOf(DeclarationStatus.class);
        DeclarationCase.ARROWS.forEach(a -> ends.remove(a.from()));
        return ends;
    }

    private static String diagram() {
        StringBuilder text = new StringBuilder("```mermaid\nstateDiagram-v2\n");
        for (DeclarationCase.Arrow a : DeclarationCase.ARROWS) {
            text.append("    ").append(a.from() == null ? "[*]" : a.from()).append(" --> ").append(a.to())
                    .append(": ").append(a.why()).append('\n');
        }
        ends().forEach(end -> text.append("    ").append(end).append(" --> [*]\n"));
        return text.append("```").toString();
    }
}

package org.singlewindow.agency;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.ReceiptStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a case stands, read from what it recorded; and the page's diagram of it. */
class CaseStateTest {

    @Test
    void aCaseIsReadFromWhatItRecorded() {
        assertThat(CaseState.of(ReceiptStatus.ACCEPTED, false, false, false)).isEqualTo(CaseState.RECEIVED);
        assertThat(CaseState.of(ReceiptStatus.ACCEPTED, true, false, false)).isEqualTo(CaseState.DEFERRED);
        assertThat(CaseState.of(ReceiptStatus.MANUAL_REVIEW, false, false, false)).isEqualTo(CaseState.HELD);
        assertThat(CaseState.of(ReceiptStatus.INSPECTION, false, false, false)).isEqualTo(CaseState.HELD);
        assertThat(CaseState.of(ReceiptStatus.RELEASED, false, false, false)).isEqualTo(CaseState.DECIDED);
        assertThat(CaseState.of(ReceiptStatus.REJECTED, false, false, false)).isEqualTo(CaseState.DECIDED);
        assertThat(CaseState.of(ReceiptStatus.VOID, false, true, false)).isEqualTo(CaseState.SETTLED);
        assertThat(CaseState.of(ReceiptStatus.RELEASED, false, true, true)).isEqualTo(CaseState.WITHDRAWN);
        assertThat(CaseState.HOLDS).isEqualTo("'MANUAL_REVIEW', 'INSPECTION'");
    }

    @Test
    void everyStateIsReachedAndOnlyAWithdrawalEnds() {
        Set<CaseState> reached = EnumSet.noneOf(CaseState.class);
        Set<CaseState> left = EnumSet.noneOf(CaseState.class);
        CaseState.ARROWS.forEach(a -> {
            reached.add(a.to());
            if (a.from() != null) {
                left.add(a.from());
            }
        });
        assertThat(reached).containsExactlyInAnyOrder(CaseState.values());
        assertThat(EnumSet.complementOf(EnumSet.copyOf(left))).containsExactly(CaseState.WITHDRAWN);
    }

    /** docs/architecture.md draws exactly {@link CaseState#ARROWS}; on a difference, paste the expected block. */
    @Test
    void thePagesDiagramIsTheArrows() throws Exception {
        String page = Files.readString(Path.of("../../docs/architecture.md"));
        String marker = "<!-- agency case -->";
        assertThat(page).contains(marker);
        String from = page.substring(page.indexOf(marker) + marker.length());
        String drawn = from.substring(from.indexOf("```mermaid"), from.indexOf("```", from.indexOf("```mermaid") + 3) + 3);
        StringBuilder expected = new StringBuilder("```mermaid\nstateDiagram-v2\n");
        for (CaseState.Arrow a : CaseState.ARROWS) {
            expected.append("    ").append(a.from() == null ? "[*]" : a.from()).append(" --> ").append(a.to())
                    .append(": ").append(a.why()).append('\n');
        }
        expected.append("    SETTLED --> [*]\n    WITHDRAWN --> [*]\n```");
        assertThat(drawn).isEqualTo(expected.toString());
    }
}

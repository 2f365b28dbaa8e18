package org.singlewindow.declaration.lifecycle;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.singlewindow.declaration.lifecycle.DeclarationStatus.AWAITING_PARTIES;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.CANCELLED;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.CLEARED;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.HELD;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.IN_REVIEW;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.RECEIVED;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.REJECTED;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.WITHDRAWING;
import static org.singlewindow.declaration.lifecycle.DeclarationStatus.WITHDRAWN;

/**
 * Where a declaration may go from where it is: every change of its status is one of these {@link #ARROWS}, and
 * {@link DeclarationRecords} refuses any other. The state diagram in {@code docs/architecture.md} is checked against
 * them ({@code DeclarationCaseTest}).
 */
public final class DeclarationCase {

    /** One allowed change of status ({@code from} null: a new declaration), and what makes it. */
    public record Arrow(DeclarationStatus from, DeclarationStatus to, String why) {
    }

    /** Every allowed change, in the order the diagram lists them. */
    public static final List<Arrow> ARROWS;

    static {
        List<Arrow> arrows = new ArrayList<>();
        arrows.add(new Arrow(null, RECEIVED, "filed, fanned out to every agency"));
        arrows.add(new Arrow(null, AWAITING_PARTIES, "filed, each party transmits its own"));
        arrows.add(new Arrow(AWAITING_PARTIES, RECEIVED, "the firms confirmed, fanned out"));
        arrows.add(new Arrow(AWAITING_PARTIES, CANCELLED, "cancelled"));
        Set<DeclarationStatus> open = EnumSet.of(RECEIVED, IN_REVIEW, HELD);
        for (DeclarationStatus from : open) {
            for (DeclarationStatus to : List.of(IN_REVIEW, HELD, CLEARED, REJECTED)) {
                if (from != to) {
                    arrows.add(new Arrow(from, to, "the agencies' answers"));
                }
            }
        }
        arrows.add(new Arrow(IN_REVIEW, RECEIVED, "amended, decided again"));
        for (DeclarationStatus from : open) {
            arrows.add(new Arrow(from, CANCELLED, "cancelled"));
        }
        arrows.add(new Arrow(CLEARED, WITHDRAWING, "withdrawal applied for (CEB623)"));
        arrows.add(new Arrow(WITHDRAWING, CLEARED, "withdrawal refused"));
        arrows.add(new Arrow(WITHDRAWING, WITHDRAWN, "every agency restored"));
        ARROWS = List.copyOf(arrows);
    }

    private DeclarationCase() {
    }

    /** Whether a declaration may go from {@code from} (null: new) to {@code to}. */
    public static boolean allows(DeclarationStatus from, DeclarationStatus to) {
        return ARROWS.stream().anyMatch(a -> a.from() == from && a.to() == to);
    }

    /** @throws IllegalStateException for a change no arrow makes: a defect of the caller, never the enterprise's */
    static void check(DeclarationStatus from, DeclarationStatus to) {
        if (!allows(from, to)) {
            throw new IllegalStateException("a declaration does not go from " + from + " to " + to);
        }
    }
}

package org.singlewindow.agency;

import org.singlewindow.contract.ReceiptStatus;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where an agency's case stands, read from what it recorded: its last decision ({@code received_declaration.status},
 * a {@link ReceiptStatus}), whether that decision waits ({@code deferred_until}), whether the outcome was settled
 * ({@code settled_at}) and whether it was withdrawn after release ({@code withdrawn_at}). The same reading in Java
 * ({@link #of}) and in SQL ({@link #SQL}, {@link #where}), defined here once; {@link AgencyCases} alone uses them.
 */
public enum CaseState {
    /** Acknowledged (120); the policy has not decided yet. */
    RECEIVED,
    /** Acknowledged; the policy's decision waits for something outside the platform (an exchange rate, the goods). */
    DEFERRED,
    /** Held for an officer: manual review (300) or inspection (500). */
    HELD,
    /** Released (800) or rejected (100); the outcome at the window not settled yet. */
    DECIDED,
    /** The window's outcome is settled here (901): what was reserved is committed or released. */
    SETTLED,
    /** Withdrawn after release: what was committed is restored (903). */
    WITHDRAWN;

    /** One way a case goes ({@code from} null: a new case), and what makes it. */
    public record Arrow(CaseState from, CaseState to, String why) {
    }

    /**
     * The ways a case goes, as the intake, the deferred decisions and the back-office move it; drawn in
     * {@code docs/architecture.md} ({@code CaseStateTest} checks the drawing).
     */
    public static final List<Arrow> ARROWS = List.of(
            new Arrow(null, RECEIVED, "declaration received, acknowledged (120)"),
            new Arrow(RECEIVED, DECIDED, "the policy releases (800) or rejects (100)"),
            new Arrow(RECEIVED, HELD, "the policy holds: review (300), inspection (500)"),
            new Arrow(RECEIVED, DEFERRED, "the policy waits for something outside"),
            new Arrow(DEFERRED, DECIDED, "asked again when due"),
            new Arrow(DEFERRED, HELD, "asked again when due"),
            new Arrow(HELD, DECIDED, "an officer decides, or the hold expires"),
            new Arrow(DECIDED, RECEIVED, "amended: decided again"),
            new Arrow(DEFERRED, RECEIVED, "amended: decided again"),
            new Arrow(RECEIVED, SETTLED, "an outcome came first: closed (902), settled (901)"),
            new Arrow(DEFERRED, SETTLED, "rejected elsewhere or cancelled: closed (902), settled (901)"),
            new Arrow(HELD, SETTLED, "rejected elsewhere or cancelled: closed (902), settled (901)"),
            new Arrow(DECIDED, SETTLED, "the window's outcome: committed or released (901)"),
            new Arrow(SETTLED, WITHDRAWN, "withdrawn after release: restored (903)"));

    /**
     * The receipt statuses a case's decision takes ({@code received_declaration.status}, whose check constraint lists
     * the same): acknowledged, held (review, inspection), released, rejected, or void (closed by the window's outcome).
     */
    public static final Set<ReceiptStatus> DECISIONS = Collections.unmodifiableSet(EnumSet.of(ReceiptStatus.ACCEPTED,
            ReceiptStatus.REJECTED, ReceiptStatus.MANUAL_REVIEW, ReceiptStatus.INSPECTION, ReceiptStatus.RELEASED, ReceiptStatus.VOID));

    /** The statuses an officer decides, as a SQL list ({@code 'MANUAL_REVIEW', 'INSPECTION'}). */
    public static final String HOLDS = Arrays.stream(ReceiptStatus.values()).filter(ReceiptStatus::isHold)
            .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));

    /** A case's state as a SQL expression over {@code received_declaration}'s columns. */
    public static final String SQL = "(case when withdrawn_at is not null then 'WITHDRAWN' when settled_at is not null then 'SETTLED'"
            + " when status in (" + HOLDS + ") then 'HELD' when status = 'ACCEPTED' and deferred_until is not null then 'DEFERRED'"
            + " when status = 'ACCEPTED' then 'RECEIVED' else 'DECIDED' end)";

    /** A case's state in Java, from the same columns as {@link #SQL}. */
    public static CaseState of(ReceiptStatus status, boolean deferred, boolean settled, boolean withdrawn) {
        if (withdrawn) {
            return WITHDRAWN;
        }
        if (settled) {
            return SETTLED;
        }
        if (status.isHold()) {
            return HELD;
        }
        if (status == ReceiptStatus.ACCEPTED) {
            return deferred ? DEFERRED : RECEIVED;
        }
        return DECIDED;
    }

    /**
     * A SQL condition on {@code received_declaration} that holds for the cases in this state: a held or a deferred case
     * by its own column (indexed; neither is ever settled or withdrawn while it holds or waits), the others by
     * {@link #SQL}.
     */
    public String where() {
        return switch (this) {
            case HELD -> "status in (" + HOLDS + ")";
            case DEFERRED -> "deferred_until is not null";
            default -> SQL + " = '" + name() + "'";
        };
    }
}

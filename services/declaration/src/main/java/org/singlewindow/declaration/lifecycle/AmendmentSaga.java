package org.singlewindow.declaration.lifecycle;

/**
 * The amendment of a declaration before its outcome (CEB621 appType CHANGE; GACC 2018 No.194 item 11), read top to
 * bottom: a final declaration is not amended (after release it is withdrawn or its lines returned); the same body
 * again changes nothing; a declaration an officer holds for review or inspection is not changed until the officer
 * decides; one still waiting for its parties takes the new version and keeps waiting (no agency has seen it); any
 * other starts again {@code RECEIVED} and every agency decides afresh, releasing what it reserved for the earlier
 * version ({@code declaration.amended.v1}). The compensation is the agencies' own: each releases what the earlier
 * version reserved ({@code DecisionPolicy.superseded}). An agency's hold that crossed the amendment on the way stands
 * on the new version (the agency kit).
 * <p>
 * A pure function of the declaration's status and whether anything changed; {@code Submissions.amend} applies it
 * through {@link DeclarationRecords#amended}.
 */
public final class AmendmentSaga {

    /** What an amendment does. */
    public enum Step {
        /** Refused (409): the declaration is final. */
        REFUSED_FINAL,
        /** Refused (409): an officer holds it; it may be cancelled. */
        REFUSED_HELD,
        /** The same body again: nothing written, nothing announced. */
        UNCHANGED,
        /** The new version is kept and waits for the firms' confirmations, which may now match. */
        KEPT_AWAITING_PARTIES,
        /** The new version is kept, {@code RECEIVED}, and every agency decides again. */
        DECIDED_AGAIN
    }

    private AmendmentSaga() {
    }

    /** The step an amendment of a declaration in {@code status} takes. */
    public static Step amend(DeclarationStatus status, boolean changed) {
        if (status.isFinal()) {
            return Step.REFUSED_FINAL;
        }
        if (!changed) {
            return Step.UNCHANGED;
        }
        return switch (status) {
            case HELD -> Step.REFUSED_HELD;
            case AWAITING_PARTIES -> Step.KEPT_AWAITING_PARTIES;
            default -> Step.DECIDED_AGAIN;
        };
    }
}

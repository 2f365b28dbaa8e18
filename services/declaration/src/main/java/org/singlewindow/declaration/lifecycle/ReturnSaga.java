package org.singlewindow.declaration.lifecycle;

import org.singlewindow.contract.Agency;
import org.singlewindow.contract.ReceiptStatus;

import java.util.Locale;
import java.util.UUID;

/**
 * The return saga (退货; GACC 2018 No.194 item 12, 2020 No.45), read top to bottom: the enterprise applies (CEB625,
 * {@link State#APPLIED}); a customs officer approves ({@link State#APPROVED}: the window announces it, logistics may
 * receive the goods) or refuses ({@link State#REFUSED}: announced, nothing settled); logistics reports the goods
 * back in the zone ({@link State#ARRIVED}: customs is asked to check them); the officer accepts them
 * ({@link State#RECEIVED}: every agency is asked to settle the returned lines) or refuses them ({@link State#REFUSED});
 * when all five agencies have settled, it is {@link State#COMPLETED}. Every compensation is a refusal: nothing was
 * settled before the goods were accepted, so nothing has to be undone.
 * <p>
 * A pure function of the return's state and the answer received: what to become, what the timeline says and what
 * to publish. An answer the saga has moved past (a redelivery, a late duplicate) is a {@link Step#NONE}; an answer no
 * step takes is refused ({@link IllegalArgumentException}). The window's receipt intake applies each step in the
 * receipt's transaction.
 */
public final class ReturnSaga {

    /** Where a return stands (the {@code declaration_return.state} column, whose check constraint lists the same). */
    public enum State {
        APPLIED, APPROVED, REFUSED, ARRIVED, RECEIVED, COMPLETED
    }

    /** What the window publishes on a step. */
    public enum Announce {
        /** {@code declaration.return-approved.v1}: logistics may receive the goods. */
        APPROVED,
        /** {@code declaration.return-arrived.v1}: customs checks the goods. */
        ARRIVED,
        /** {@code declaration.returned.v1}: every agency settles the returned lines. */
        RETURNED,
        /** {@code declaration.return-refused.v1}: nobody waits for it any more. */
        REFUSED
    }

    /**
     * One step from {@code from}: the state to become ({@code null}: unchanged), the timeline entry and what to publish
     * (each {@code null} when there is none).
     */
    public record Step(State from, State next, TimelineKind entry, Announce announce) {
        public static final Step NONE = new Step(null, null, null, null);

        /** The timeline's words for this step of return {@code returnId}, with the agency's own message. */
        public String detail(UUID returnId, String message) {
            String of = "return " + returnId + ": ";
            return switch (entry) {
                case RETURN_REVIEW -> of + "the application (CEB625) awaits a customs officer's review";
                case RETURN_APPROVED -> of + "customs approved it (CEB626) — " + message
                        + "; logistics receives the goods back in the bonded zone";
                case RETURN_REFUSED -> of + "customs refused " + (from == State.ARRIVED ? "its goods on arrival" : "it")
                        + " — " + message;
                case RETURN_ARRIVED -> of + message;
                case RETURN_CHECK -> of + "the goods await a customs officer's check (original state, fit for resale) before "
                        + "anything is settled";
                case RETURN_RECEIVED -> of + message + "; every agency asked to settle the returned lines (the goods back on the "
                        + "owner's account, their tax voided, the consumer's year reduced)";
                case RETURN_COMPLETE -> of + "every agency has settled the returned lines";
                default -> throw new IllegalStateException(entry + " is not a return's entry");
            };
        }
    }

    private ReturnSaga() {
    }

    /**
     * An agency's answer about the return, other than a settlement: customs' review of the application or check of
     * the goods (300, 800, 100), logistics's report that the goods arrived (120).
     *
     * @throws IllegalArgumentException for an answer no step of the saga takes (another agency's, another status)
     */
    public static Step answered(State current, Agency agency, ReceiptStatus status) {
        return switch (status) {
            case ACCEPTED -> {
                if (agency != Agency.LOGISTICS) {
                    throw refused(agency, status, current, "only logistics reports a return's goods arrived (120)");
                }
                yield current == State.APPROVED ? new Step(current, State.ARRIVED, TimelineKind.RETURN_ARRIVED, Announce.ARRIVED) : Step.NONE;
            }
            case MANUAL_REVIEW -> switch (current) {
                case APPLIED -> new Step(current, null, TimelineKind.RETURN_REVIEW, null);
                case ARRIVED -> new Step(current, null, TimelineKind.RETURN_CHECK, null);
                default -> Step.NONE;
            };
            case RELEASED -> switch (current) {
                case APPLIED -> new Step(current, State.APPROVED, TimelineKind.RETURN_APPROVED, Announce.APPROVED);
                case ARRIVED -> new Step(current, State.RECEIVED, TimelineKind.RETURN_RECEIVED, Announce.RETURNED);
                default -> Step.NONE;
            };
            case REJECTED -> current == State.APPLIED || current == State.ARRIVED
                    ? new Step(current, State.REFUSED, TimelineKind.RETURN_REFUSED, Announce.REFUSED) : Step.NONE;
            default -> throw refused(agency, status, current, "a return receipt is 120, 300, 800, 100 or 905");
        };
    }

    /** An agency settled the returned lines (905); {@code allSettled} when, with it, all five have. */
    public static Step settled(State current, boolean allSettled) {
        return allSettled && current == State.RECEIVED ? new Step(current, State.COMPLETED, TimelineKind.RETURN_COMPLETE, null) : Step.NONE;
    }

    private static IllegalArgumentException refused(Agency agency, ReceiptStatus status, State current, String rule) {
        return new IllegalArgumentException(rule + ", not " + agency + " " + status + " on a return "
                + current.name().toLowerCase(Locale.ROOT));
    }
}

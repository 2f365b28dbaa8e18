package org.singlewindow.declaration.lifecycle;

/**
 * What the window itself did to a declaration, as its timeline shows it (the {@code declaration_event.kind} column,
 * whose check constraint lists the same; the agencies' receipts are the timeline's other entries, read from the
 * receipts). Written only by {@link DeclarationRecords}.
 */
public enum TimelineKind {
    /** Kept and fanned out to every agency. */
    SUBMITTED,
    /** Kept, waiting for the payment and logistics firms' own documents (GACC 2018 No.194 item 8). */
    AWAITING_PARTIES,
    /** One firm's own document matched the declaration. */
    PARTY_CONFIRMED,
    /** One firm's own document differs from the declaration: it keeps waiting. */
    CONFIRMATION_DIFFERS,
    /** A new version (CEB621 appType CHANGE): every agency decides again. */
    AMENDED,
    /** The status changed: "FROM -> TO". */
    STATUS,
    /** Cancelled by the enterprise before it was final. */
    CANCELLED,
    /** Every agency asked to commit or release what it reserved on the outcome. */
    FOLLOW_UPS,
    /** Every agency settled what it reserved. */
    FOLLOW_UPS_COMPLETE,
    /** 899: the tax period is over and its tax paid. */
    CLEARANCE_COMPLETE,
    /** The enterprise applied to withdraw a cleared declaration (CEB623). */
    WITHDRAWAL_REQUESTED,
    /** Customs approved the withdrawal application. */
    WITHDRAWAL_APPROVED,
    /** Logistics accepted it: the goods are in the zone, every agency restores what it committed. */
    WITHDRAWAL_ACCEPTED,
    /** Customs or logistics refused it: back to cleared. */
    WITHDRAWAL_REFUSED,
    /** The enterprise applied to return some lines (CEB625). */
    RETURN_REQUESTED,
    /** The return application awaits a customs officer. */
    RETURN_REVIEW,
    /** Customs approved the return. */
    RETURN_APPROVED,
    /** Customs refused the return, or its goods on arrival. */
    RETURN_REFUSED,
    /** Logistics reported the returned goods back in the zone. */
    RETURN_ARRIVED,
    /** The returned goods await a customs officer's check. */
    RETURN_CHECK,
    /** Customs accepted the returned goods: every agency settles the returned lines. */
    RETURN_RECEIVED,
    /** Every agency settled the returned lines. */
    RETURN_COMPLETE
}

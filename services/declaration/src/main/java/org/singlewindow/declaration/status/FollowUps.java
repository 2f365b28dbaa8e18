package org.singlewindow.declaration.status;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The follow-ups of a final outcome (the saga's second half): every agency is asked to commit
 * ({@code CLEARED}) or release ({@code REJECTED}, {@code CANCELLED}) what it reserved, and answers with
 * a settlement receipt; they are complete when all five have ({@link ReceiptIntake}).
 */
public final class FollowUps {

    private FollowUps() {
    }

    /** Call in the transaction that publishes the outcome event. */
    public static void requested(JdbcClient jdbc, UUID declarationId, String outcome, OffsetDateTime at) {
        jdbc.sql("update declaration set follow_up_outcome = ?, follow_ups_requested_at = ? where id = ?")
                .params(outcome, at, declarationId).update();
        jdbc.sql("insert into declaration_event (declaration_id, at, kind, detail) values (?, ?, 'FOLLOW_UPS', ?)")
                .params(declarationId, at, requestDetail(outcome)).update();
    }

    /** The timeline's words for the request. */
    static String requestDetail(String outcome) {
        return "every agency asked to " + ("CLEARED".equals(outcome)
                ? "commit what it reserved (stock deducted, tax billed, forex counted)"
                : "release what it reserved (stock restored, tax and forex ledgers released)");
    }
}

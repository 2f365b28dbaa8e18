package org.singlewindow.declaration.status;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Records that every agency was asked to settle a final outcome (the start of the follow-ups). */
public final class FollowUps {

    private FollowUps() {
    }

    /** Call in the transaction that publishes the outcome event. */
    public static void requested(JdbcClient jdbc, UUID declarationId, String outcome, OffsetDateTime at) {
        jdbc.sql("update declaration set follow_up_outcome = ?, follow_ups_requested_at = ? where id = ?")
                .params(outcome, at, declarationId).update();
        jdbc.sql("insert into declaration_event (declaration_id, at, kind, detail) values (?, ?, 'FOLLOW_UPS', ?)")
                .params(declarationId, at, "every agency asked to " + ("CLEARED".equals(outcome)
                        ? "commit what it reserved (stock deducted, tax billed, forex counted)"
                        : "release what it reserved (stock restored, tax and forex ledgers released)")).update();
    }
}

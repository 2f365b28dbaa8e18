package org.singlewindow.kit.web;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The record of what administrators did on this service ({@code admin_audit}): who, when, which action,
 * on what, with a short detail. Read through {@code GET /api/v1/admin/<service>/audit}.
 */
public class AdminAudit {

    /** One recorded action. */
    public record Entry(long id, OffsetDateTime at, String actor, String action, String target, String detail) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    public AdminAudit(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Record an action (in the caller's transaction if there is one). */
    public void record(Authentication who, String action, String target, String detail) {
        jdbc.sql("insert into admin_audit (at, actor, action, target, detail) values (?, ?, ?, ?, ?)")
                .params(OffsetDateTime.now(clock), who == null ? "unknown" : who.getName(), action, target,
                        detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 1000))
                .update();
    }

    /** The latest entries, newest first, optionally of one action. */
    public List<Entry> latest(String action, int limit) {
        return jdbc.sql("""
                        select id, at, actor, action, target, detail from admin_audit
                        where cast(? as text) is null or action = ? order by id desc limit ?""")
                .params(action, action, limit).query(Entry.class).list();
    }
}

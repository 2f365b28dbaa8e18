package org.singlewindow.kit.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Administrators: what waits in this service's outbox and since when, and the rows parked after the
 * broker refused or returned them too often (with their last error), which can be put back in line.
 */
@Tag(name = "Operations", description = "The outbox of this service: what waits to be published, what the broker refused (parked) and retrying it.")
@RestController
public class OutboxController {

    private static final int PARKED_SHOWN = 100;

    private final JdbcClient jdbc;
    private final AdminAudit audit;

    public OutboxController(JdbcClient jdbc, AdminAudit audit) {
        this.audit = audit;
        this.jdbc = jdbc;
    }

    public record Waiting(String routingKey, long rows, OffsetDateTime oldest) {
    }

    public record Parked(long id, String messageId, String exchange, String routingKey, String declarationId, int attempts,
                         String lastError, OffsetDateTime createdAt, OffsetDateTime parkedAt) {
    }

    public record OutboxStatus(long backlog, Double oldestAgeSeconds, List<Waiting> byRoutingKey, long parked,
                               List<Parked> parkedRows) {
    }

    @GetMapping("/api/v1/admin/${spring.application.name}/outbox")
    public OutboxStatus status() {
        List<Waiting> waiting = jdbc.sql("""
                        select routing_key, count(*) as rows, min(created_at) as oldest from outbox where parked_at is null
                        group by routing_key order by min(created_at)""")
                .query(Waiting.class).list();
        long backlog = waiting.stream().mapToLong(Waiting::rows).sum();
        Double age = jdbc.sql("select extract(epoch from now() - min(created_at))::float8 from outbox where parked_at is null")
                .query(Double.class).optional().orElse(null);
        long parked = jdbc.sql("select count(*) from outbox where parked_at is not null").query(Long.class).single();
        List<Parked> parkedRows = jdbc.sql("""
                        select id, message_id::text, exchange, routing_key, declaration_id::text, attempts, last_error,
                               created_at, parked_at
                        from outbox where parked_at is not null order by id limit ?""")
                .param(PARKED_SHOWN).query(Parked.class).list();
        return new OutboxStatus(backlog, age, waiting, parked, parkedRows);
    }

    /** Put every parked row back in line (after the cause, a missing binding say, is fixed). */
    @PostMapping("/api/v1/admin/${spring.application.name}/outbox/parked/retry")
    @Transactional
    public Map<String, Integer> retryParked(Authentication who) {
        int n = jdbc.sql("update outbox set parked_at = null, next_attempt_at = null, attempts = 0 where parked_at is not null")
                .update();
        audit.record(who, "outbox.retry-parked", "outbox", n + " parked row(s) put back in line");
        return Map.of("requeued", n);
    }
}

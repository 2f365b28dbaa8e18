package org.singlewindow.kit.web;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.OffsetDateTime;
import java.util.List;

/** Administrators: what waits in this service's outbox, and since when. */
@RestController
public class OutboxController {

    private final JdbcClient jdbc;

    public OutboxController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Waiting(String routingKey, long rows, OffsetDateTime oldest) {
    }

    public record OutboxStatus(long backlog, Double oldestAgeSeconds, List<Waiting> byRoutingKey) {
    }

    @GetMapping("/api/v1/admin/${spring.application.name}/outbox")
    public OutboxStatus status() {
        List<Waiting> waiting = jdbc.sql("""
                        select routing_key, count(*) as rows, min(created_at) as oldest from outbox
                        group by routing_key order by min(created_at)""")
                .query(Waiting.class).list();
        long backlog = waiting.stream().mapToLong(Waiting::rows).sum();
        Double age = jdbc.sql("select extract(epoch from now() - min(created_at))::float8 from outbox").query(Double.class).optional()
                .orElse(null);
        return new OutboxStatus(backlog, age, waiting);
    }
}

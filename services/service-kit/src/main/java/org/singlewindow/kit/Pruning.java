package org.singlewindow.kit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a service's records bounded: every {@code sw.retention.prune-every}, each {@link RetentionRule}
 * bean's statement runs until it finds fewer than a chunk of records older than its retention — a few
 * thousand rows per statement, so that no long transaction holds a table. The kit contributes the inbox
 * and the archive of discarded dead letters; an agency its received declarations.
 */
public class Pruning extends PeriodicWork {

    private static final int CHUNK = 5_000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final List<RetentionRule> rules;
    private final Map<String, Counter> pruned = new LinkedHashMap<>();

    public Pruning(JdbcClient jdbc, List<RetentionRule> rules, Duration every, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.rules = List.copyOf(rules);
        rules.forEach(rule -> pruned.put(rule.name(),
                Counter.builder(rule.metric()).description(rule.description()).register(meters)));
        every(every, Duration.ofMinutes(1), "pruning old records", this::prune);
    }

    /** Prune every rule's records older than its retention; returns how many of each. */
    public Map<String, Long> prune() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (RetentionRule rule : rules) {
            Timestamp cutoff = Timestamp.from(clock.instant().minus(rule.keep()));
            long total = 0;
            int touched;
            do {
                touched = jdbc.sql(rule.sql()).params(cutoff, CHUNK).update();
                total += touched;
            } while (touched == CHUNK);
            pruned.get(rule.name()).increment(total);
            counts.put(rule.name(), total);
        }
        return counts;
    }
}

package org.singlewindow.kit.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.kit.KitProperties;
import org.singlewindow.kit.PeriodicWork;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

/**
 * Keeps the inbox bounded: ids of messages processed longer ago than {@code sw.retention.inbox} are
 * deleted, a few thousand rows per statement so that no long transaction holds the table.
 */
public class InboxPruning extends PeriodicWork {

    private static final int CHUNK = 5_000;

    private final JdbcClient jdbc;
    private final Duration keep;
    private final Clock clock;
    private final Counter pruned;

    public InboxPruning(JdbcClient jdbc, KitProperties.Retention retention, Clock clock, MeterRegistry meters) {
        super("inbox-pruning");
        this.jdbc = jdbc;
        this.keep = retention.inbox();
        this.clock = clock;
        this.pruned = Counter.builder("sw.inbox.pruned").description("Inbox rows older than the retention, deleted").register(meters);
        every(retention.pruneEvery(), Duration.ofMinutes(1), "pruning the inbox", this::prune);
    }

    /** Delete every row older than the retention; returns how many. */
    public long prune() {
        Timestamp before = Timestamp.from(clock.instant().minus(keep));
        long total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("""
                            delete from inbox where ctid = any(array(
                                select ctid from inbox where received_at < ? limit ?))""")
                    .params(before, CHUNK).update();
            total += deleted;
        } while (deleted == CHUNK);
        pruned.increment(total);
        return total;
    }
}

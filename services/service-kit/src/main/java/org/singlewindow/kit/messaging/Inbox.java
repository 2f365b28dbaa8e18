package org.singlewindow.kit.messaging;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The consumer inbox: the ids of messages already processed, written in the same transaction as
 * their effect. A redelivered or re-published message finds its id and changes nothing. Rows older
 * than the retention are pruned ({@link org.singlewindow.kit.Pruning}): a message redelivered after that long is not
 * expected.
 */
public class Inbox {

    private final JdbcClient jdbc;

    public Inbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Record the message for this consumer. Must run in the transaction of the effect.
     *
     * @return true the first time; false for a duplicate (the caller skips it)
     */
    public boolean firstDelivery(String consumer, String messageId) {
        return jdbc.sql("insert into inbox (consumer, message_id) values (?, ?) on conflict do nothing")
                .params(consumer, messageId)
                .update() == 1;
    }

    /**
     * Record a batch's messages for this consumer in one statement. Must run in the transaction of the effects.
     *
     * @return the ids seen for the first time (each once, even if the batch carries it twice)
     */
    public Set<String> firstDeliveries(String consumer, List<String> messageIds) {
        return new HashSet<>(jdbc.sql("""
                        insert into inbox (consumer, message_id) select ?, m from unnest(?::text[]) as m
                        on conflict do nothing returning message_id""")
                .params(consumer, messageIds.toArray(String[]::new))
                .query(String.class).list());
    }
}

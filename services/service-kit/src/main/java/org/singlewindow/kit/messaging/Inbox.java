package org.singlewindow.kit.messaging;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The consumer inbox: the ids of messages already processed, written in the same transaction as
 * their effect. A redelivered or re-published message finds its id and changes nothing.
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
}

package org.singlewindow.kit;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Settings of the service kit ({@code sw.*}).
 *
 * @param messaging consumer settings
 * @param outbox    relay settings
 * @param retention how long the kit keeps its own bookkeeping
 */
@ConfigurationProperties("sw")
public record KitProperties(Messaging messaging, Outbox outbox, Retention retention) {

    public KitProperties {
        messaging = messaging == null ? new Messaging(0, 0, 0, null, null, 0, null, null) : messaging;
        outbox = outbox == null ? new Outbox(0, null, null, 0, null) : outbox;
        retention = retention == null ? new Retention(null, null) : retention;
    }

    /**
     * @param prefetch      unacknowledged messages a consumer may hold (bounded prefetch; at least a batch)
     * @param concurrency   consumer threads per queue
     * @param maxAttempts   attempts of a failing message before it is dead-lettered
     * @param retryBackoff  pause before the second attempt; doubles each time
     * @param deliveryLimit RabbitMQ quorum-queue delivery limit, a broker-side backstop
     * @param batchSize     most messages handled in one transaction
     * @param batchWait     how long a consumer waits for one more message before it handles what it has
     * @param batchMaxWait  longest a consumer gathers one batch
     */
    public record Messaging(int prefetch, int concurrency, int maxAttempts, Duration retryBackoff,
                            Integer deliveryLimit, int batchSize, Duration batchWait, Duration batchMaxWait) {
        public Messaging {
            batchSize = batchSize > 0 ? batchSize : 100;
            prefetch = Math.max(prefetch > 0 ? prefetch : 250, batchSize);
            concurrency = concurrency > 0 ? concurrency : 2;
            maxAttempts = maxAttempts > 0 ? maxAttempts : 3;
            retryBackoff = retryBackoff != null ? retryBackoff : Duration.ofMillis(200);
            deliveryLimit = deliveryLimit != null ? deliveryLimit : 50;
            batchWait = batchWait != null ? batchWait : Duration.ofMillis(2);
            batchMaxWait = batchMaxWait != null ? batchMaxWait : Duration.ofMillis(20);
        }
    }

    /**
     * @param batchSize    rows claimed, published and confirmed per round
     * @param pollInterval how often the relay looks for rows nobody woke it for
     * @param maxBackoff   longest pause after the broker or database failed
     * @param maxAttempts  publishes of one row the broker refused or returned before it is parked
     * @param retryAfter   pause before a refused row is published again; doubles each time
     */
    public record Outbox(int batchSize, Duration pollInterval, Duration maxBackoff, int maxAttempts, Duration retryAfter) {
        public Outbox {
            batchSize = batchSize > 0 ? batchSize : 200;
            pollInterval = pollInterval != null ? pollInterval : Duration.ofMillis(500);
            maxBackoff = maxBackoff != null ? maxBackoff : Duration.ofSeconds(5);
            maxAttempts = maxAttempts > 0 ? maxAttempts : 8;
            retryAfter = retryAfter != null ? retryAfter : Duration.ofSeconds(1);
        }
    }

    /**
     * @param inbox      how long a processed message's id is kept (a redelivery older than that is not expected:
     *                   the broker redelivers within minutes, a dead letter is replayed within days)
     * @param pruneEvery how often old rows are pruned
     */
    public record Retention(Duration inbox, Duration pruneEvery) {
        public Retention {
            inbox = inbox != null ? inbox : Duration.ofDays(30);
            pruneEvery = pruneEvery != null ? pruneEvery : Duration.ofMinutes(10);
        }
    }
}

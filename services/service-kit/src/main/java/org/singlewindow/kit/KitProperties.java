package org.singlewindow.kit;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Settings of the service kit ({@code sw.*}).
 *
 * @param messaging consumer settings
 * @param outbox    relay settings
 */
@ConfigurationProperties("sw")
public record KitProperties(Messaging messaging, Outbox outbox) {

    public KitProperties {
        messaging = messaging == null ? new Messaging(0, 0, 0, null, null) : messaging;
        outbox = outbox == null ? new Outbox(0, null, null) : outbox;
    }

    /**
     * @param prefetch         unacknowledged messages a consumer may hold (bounded prefetch)
     * @param concurrency      consumer threads per queue
     * @param maxAttempts      attempts of a failing message before it is dead-lettered
     * @param retryBackoff     pause before the second attempt; doubles each time
     * @param deliveryLimit    RabbitMQ quorum-queue delivery limit, a broker-side backstop
     */
    public record Messaging(int prefetch, int concurrency, int maxAttempts, Duration retryBackoff,
                            Integer deliveryLimit) {
        public Messaging {
            prefetch = prefetch > 0 ? prefetch : 50;
            concurrency = concurrency > 0 ? concurrency : 2;
            maxAttempts = maxAttempts > 0 ? maxAttempts : 3;
            retryBackoff = retryBackoff != null ? retryBackoff : Duration.ofMillis(200);
            deliveryLimit = deliveryLimit != null ? deliveryLimit : 50;
        }
    }

    /**
     * @param batchSize    rows published per confirm round trip
     * @param pollInterval how often the relay looks for rows nobody woke it for
     * @param maxBackoff   longest pause after the broker or database failed
     */
    public record Outbox(int batchSize, Duration pollInterval, Duration maxBackoff) {
        public Outbox {
            batchSize = batchSize > 0 ? batchSize : 200;
            pollInterval = pollInterval != null ? pollInterval : Duration.ofMillis(500);
            maxBackoff = maxBackoff != null ? maxBackoff : Duration.ofSeconds(5);
        }
    }
}

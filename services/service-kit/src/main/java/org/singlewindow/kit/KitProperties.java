package org.singlewindow.kit;

import org.springframework.boot.context.properties.ConfigurationProperties;

import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the service kit ({@code sw.*}).
 *
 * @param messaging consumer settings
 * @param outbox    relay settings
 * @param retention how long the kit keeps its own bookkeeping
 * @param http      limits on what a request may carry
 */
@ConfigurationProperties("sw")
public record KitProperties(Messaging messaging, Outbox outbox, Retention retention, Http http) {

    public KitProperties {
        messaging = messaging == null ? new Messaging(0, 0, 0, null, null, 0, null, null, null, null, null, null) : messaging;
        outbox = outbox == null ? new Outbox(0, null, null, 0, null) : outbox;
        retention = retention == null ? new Retention(null, null, null, null) : retention;
        http = http == null ? new Http(null, null) : http;
    }

    /**
     * @param maxBody       longest request body (1 MB by default); a longer one is refused (413) before it is read
     * @param maxBodyByPath another limit for the paths matching an Ant pattern, e.g.
     *                      {@code sw.http.max-body-by-path[/api/v1/tax/quotes]=64KB}; reference documents
     *                      ({@link #REFERENCE_DOCUMENTS}: a full tariff is some 2 MB of JSON) have 16 MB unless
     *                      set here
     */
    public record Http(DataSize maxBody, Map<String, DataSize> maxBodyByPath) {
        /** An administrator's reference documents: checked and loaded whole. */
        public static final String REFERENCE_DOCUMENTS = "/api/v1/admin/*/reference/**";

        public Http {
            maxBody = maxBody != null ? maxBody : DataSize.ofMegabytes(1);
            Map<String, DataSize> byPath = new java.util.LinkedHashMap<>(maxBodyByPath != null ? maxBodyByPath : Map.of());
            byPath.putIfAbsent(REFERENCE_DOCUMENTS, DataSize.ofMegabytes(16));
            maxBodyByPath = Map.copyOf(byPath);
        }
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
     * @param busyBatchWait    {@code batchWait} of a busy consumer: one whose last batch found more than one
     *                         message waiting (it gathers a little longer, so batches stay large under load
     *                         while a lone message at low load is still handled at once)
     * @param busyBatchMaxWait {@code batchMaxWait} of a busy consumer
     * @param brokerUsers      the broker user of each service when not {@code sw-<service>}
     *                         ({@link org.singlewindow.kit.messaging.BrokerIdentity})
     * @param topology         {@code declare}: the service declares the platform's exchanges and queues
     *                         itself (a broker without per-service permissions: the sandbox's); {@code verify}:
     *                         they are provisioned by the operator and the service, whose user may not
     *                         configure them, only checks at start that each one exists
     */
    public record Messaging(int prefetch, int concurrency, int maxAttempts, Duration retryBackoff,
                            Integer deliveryLimit, int batchSize, Duration batchWait, Duration batchMaxWait,
                            Duration busyBatchWait, Duration busyBatchMaxWait, Map<String, String> brokerUsers,
                            TopologyMode topology) {
        public Messaging {
            brokerUsers = brokerUsers != null ? Map.copyOf(brokerUsers) : Map.of();
            topology = topology != null ? topology : TopologyMode.DECLARE;
            batchSize = batchSize > 0 ? batchSize : 100;
            prefetch = Math.max(prefetch > 0 ? prefetch : 250, batchSize);
            concurrency = concurrency > 0 ? concurrency : 2;
            maxAttempts = maxAttempts > 0 ? maxAttempts : 3;
            retryBackoff = retryBackoff != null ? retryBackoff : Duration.ofMillis(200);
            deliveryLimit = deliveryLimit != null ? deliveryLimit : 50;
            batchWait = batchWait != null ? batchWait : Duration.ofMillis(2);
            batchMaxWait = batchMaxWait != null ? batchMaxWait : Duration.ofMillis(20);
            busyBatchWait = busyBatchWait != null ? busyBatchWait : Duration.ofMillis(10);
            busyBatchMaxWait = busyBatchMaxWait != null ? busyBatchMaxWait : Duration.ofMillis(40);
        }
    }

    /** Who makes the broker's exchanges and queues ({@code sw.messaging.topology}). */
    public enum TopologyMode { DECLARE, VERIFY }

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
     * @param deadLetterArchive how long a discarded dead letter is kept in the archive (it may hold a person's data)
     * @param receivedPayloads  how long an agency keeps its copy of a declaration after the case is settled
     */
    public record Retention(Duration inbox, Duration pruneEvery, Duration deadLetterArchive, Duration receivedPayloads) {
        public Retention {
            inbox = inbox != null ? inbox : Duration.ofDays(30);
            pruneEvery = pruneEvery != null ? pruneEvery : Duration.ofMinutes(10);
            deadLetterArchive = deadLetterArchive != null ? deadLetterArchive : Duration.ofDays(180);
            receivedPayloads = receivedPayloads != null ? receivedPayloads : Duration.ofDays(30);
        }
    }
}

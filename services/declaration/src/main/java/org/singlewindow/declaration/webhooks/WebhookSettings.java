package org.singlewindow.declaration.webhooks;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * How webhooks are delivered ({@code sw.webhooks.*}).
 *
 * @param retrySchedule             the pause before each retry; a delivery that fails its first attempt and every
 *                                  retry is marked failed (default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h —
 *                                  about 28 hours, the Standard Webhooks schedule)
 * @param connectTimeout            to open a connection to an endpoint
 * @param requestTimeout            for an endpoint's answer
 * @param perSubscription           attempts in flight at once for one subscription, per instance: a slow or dead
 *                                  endpoint holds no more than these
 * @param batchSize                 deliveries claimed per round
 * @param pollInterval              how often the dispatcher looks for due deliveries when idle
 * @param allowedNetworks           private or loopback networks (CIDR) an endpoint may still be in: none by
 *                                  default; the sandbox allows loopback
 * @param keepDelivered             how long delivered and failed deliveries (and their attempts) are kept
 * @param secretKey                 seals the subscriptions' signing secrets in the database (AES-256-GCM under a key
 *                                  derived from it), at least 16 characters; required outside the sandbox
 *                                  ({@code SW_WEBHOOKS_SECRETKEY})
 * @param secretKeyPrevious         the key {@code secretKey} replaces, while a rotation runs: what it sealed still opens
 */
@ConfigurationProperties("sw.webhooks")
record WebhookSettings(List<Duration> retrySchedule, Duration connectTimeout, Duration requestTimeout, int perSubscription,
                       int batchSize, Duration pollInterval, List<String> allowedNetworks, Duration keepDelivered,
                       String secretKey, String secretKeyPrevious) {

    WebhookSettings {
        retrySchedule = retrySchedule == null || retrySchedule.isEmpty() ? List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10))
                : List.copyOf(retrySchedule);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(15) : requestTimeout;
        perSubscription = perSubscription > 0 ? perSubscription : 4;
        batchSize = batchSize > 0 ? batchSize : 100;
        pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
        allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
        keepDelivered = keepDelivered == null ? Duration.ofDays(30) : keepDelivered;
    }

    /** Attempts in all: the first and one per pause of the schedule. */
    int maxTries() {
        return retrySchedule.size() + 1;
    }
}

package org.singlewindow.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

/**
 * Per-enterprise request quota at the gateway ({@code sw.gateway.rate-limit.*}): a fixed window of
 * {@code window} in which an enterprise may send {@code requests} requests to {@code /api/**}.
 *
 * @param store     {@code memory} (one gateway instance; the sandbox) or {@code redis} (shared by every
 *                  gateway instance; {@code spring.data.redis.*} says where)
 * @param requests  requests per window for an enterprise without an override
 * @param window    window length
 * @param overrides requests per window by {@code enterprise_id} (contracted quotas)
 */
@ConfigurationProperties("sw.gateway.rate-limit")
public record RateLimitProperties(String store, int requests, Duration window, Map<String, Integer> overrides) {

    public RateLimitProperties {
        store = store == null || store.isBlank() ? "memory" : store;
        if (!store.equals("memory") && !store.equals("redis")) {
            throw new IllegalArgumentException("sw.gateway.rate-limit.store must be memory or redis, not " + store);
        }
        requests = requests > 0 ? requests : 2000;
        window = window == null || window.isZero() || window.isNegative() ? Duration.ofSeconds(10) : window;
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }

    int limitFor(String enterpriseId) {
        return overrides.getOrDefault(enterpriseId, requests);
    }
}

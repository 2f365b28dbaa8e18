package org.singlewindow.gateway.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Clock;

/** The per-enterprise quota: Redis-backed when {@code sw.gateway.rate-limit.store=redis}, in memory otherwise. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    @Bean
    RateLimitFilter rateLimitFilter(RateLimitProperties properties, ObjectProvider<ReactiveStringRedisTemplate> redis,
                                    MeterRegistry meters) {
        WindowCounter counter = properties.store().equals("redis")
                ? new RedisWindowCounter(redis.getObject())
                : new InMemoryWindowCounter();
        return new RateLimitFilter(properties, counter, meters, Clock.systemUTC());
    }

    @Bean
    AnonymousLimitFilter anonymousLimitFilter(AnonymousLimitProperties settings, MeterRegistry meters,
                                              @Value("${spring.cloud.gateway.server.webflux.trusted-proxies:}") String trustedProxies) {
        return new AnonymousLimitFilter(settings, new ClientAddress(trustedProxies), meters);
    }
}

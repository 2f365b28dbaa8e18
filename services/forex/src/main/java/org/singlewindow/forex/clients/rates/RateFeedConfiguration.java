package org.singlewindow.forex.clients.rates;

import feign.Feign;
import feign.Request;
import feign.Retryer;
import feign.codec.Decoder;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.singlewindow.contract.Json;
import org.singlewindow.forex.ForexProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.concurrent.TimeUnit;

/**
 * The rate feed's client and its Resilience4j policy: explicit connect and read timeouts; a retry with
 * exponential backoff; a circuit breaker that opens when half the calls of its window fail, stays open
 * for {@code breaker-open}, then lets one trial call through (half-open) and closes if it succeeds (the
 * feed is called rarely: a second trial might not come for a refresh period).
 * The client is plain OpenFeign rather than a Spring Cloud {@code @FeignClient}: those share the
 * platform's interceptors, and the provider must never receive the platform's client-credentials token.
 */
@Configuration(proxyBeanMethods = false)
public class RateFeedConfiguration {

    @Bean
    RateFeed rateFeed(ForexProperties properties) {
        ForexProperties.Rates r = properties.rates();
        // a provider that adds fields must not break us: unknown properties are ignored here
        JsonMapper mapper = Json.mapper().rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        Decoder decoder = (response, type) -> {
            if (response.body() == null) {
                throw new feign.codec.DecodeException(response.status(), "the rate feed answered without a body", response.request());
            }
            return mapper.readValue(response.body().asInputStream(), mapper.constructType(type));
        };
        return Feign.builder()
                .decoder(decoder)
                .options(new Request.Options(r.connectTimeout().toMillis(), TimeUnit.MILLISECONDS,
                        r.readTimeout().toMillis(), TimeUnit.MILLISECONDS, false))
                .retryer(Retryer.NEVER_RETRY) // Resilience4j retries, with the breaker watching every attempt
                .target(RateFeed.class, r.url().toString());
    }

    /** The breaker, with its state and calls as metrics ({@code resilience4j.circuitbreaker.*}, name rate-feed). */
    @Bean
    CircuitBreaker rateFeedBreaker(ForexProperties properties, MeterRegistry meters) {
        ForexProperties.Rates r = properties.rates();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry.circuitBreaker("rate-feed", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(r.breakerWindow())
                .minimumNumberOfCalls(Math.min(5, r.breakerWindow()))
                .failureRateThreshold(50)
                .waitDurationInOpenState(r.breakerOpen())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
    }

    @Bean
    Retry rateFeedRetry(ForexProperties properties) {
        ForexProperties.Rates r = properties.rates();
        return Retry.of("rate-feed", RetryConfig.custom()
                .maxAttempts(r.retryAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(r.retryBackoff(), 2.0))
                .ignoreExceptions(CallNotPermittedException.class) // the breaker is open: do not knock again now
                .build());
    }
}

package org.singlewindow.gateway.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.gateway.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.Optional;

/**
 * Per-enterprise quota on every request under {@code /api/}: the key is the token's {@code enterprise_id} (people and
 * services without one are counted by subject). Over the quota → {@code 429} problem with
 * {@code Retry-After} (seconds until the window ends) and {@code X-RateLimit-*} headers. If the store
 * fails (Redis down) the request passes and {@code sw.gateway.ratelimit.errors} counts it: a quota
 * outage must not become a platform outage.
 */
final class RateLimitFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    private final RateLimitProperties properties;
    private final WindowCounter counter;
    private final MeterRegistry meters;
    private final Clock clock;

    RateLimitFilter(RateLimitProperties properties, WindowCounter counter, MeterRegistry meters, Clock clock) {
        this.properties = properties;
        this.counter = counter;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        // (not flatMap + switchIfEmpty: the chain's Mono<Void> is always empty and would run twice)
        return exchange.getPrincipal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(principal -> Optional.of((JwtAuthenticationToken) principal))
                .defaultIfEmpty(Optional.empty())
                .flatMap(token -> token.isPresent() ? limit(exchange, chain, token.get()) : chain.filter(exchange));
    }

    private Mono<Void> limit(ServerWebExchange exchange, WebFilterChain chain, JwtAuthenticationToken token) {
        String enterpriseId = token.getToken().getClaimAsString("enterprise_id");
        String key = enterpriseId != null ? "enterprise:" + enterpriseId : "subject:" + token.getToken().getSubject();
        int limit = enterpriseId != null ? properties.limitFor(enterpriseId) : properties.requests();
        long windowMillis = properties.window().toMillis();
        long now = clock.millis();
        long window = now / windowMillis;
        long retryAfter = Math.max(1, ((window + 1) * windowMillis - now + 999) / 1000);
        return counter.increment(key, window, Math.max(1, windowMillis / 1000))
                .onErrorResume(e -> {
                    log.warn("rate-limit store failed; letting the request pass: {}", e.toString());
                    meters.counter("sw.gateway.ratelimit.errors").increment();
                    return Mono.just(-1L);
                })
                .flatMap(count -> {
                    var headers = exchange.getResponse().getHeaders();
                    if (count >= 0) {
                        headers.set("X-RateLimit-Limit", Integer.toString(limit));
                        headers.set("X-RateLimit-Remaining", Long.toString(Math.max(0, limit - count)));
                    }
                    if (count > limit) {
                        meters.counter("sw.gateway.ratelimit.rejected").increment();
                        headers.set("Retry-After", Long.toString(retryAfter));
                        return tooMany(exchange, limit, retryAfter);
                    }
                    return chain.filter(exchange);
                });
    }

    private Mono<Void> tooMany(ServerWebExchange exchange, int limit, long retryAfter) {
        return Problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "Too many requests", "the quota of " + limit
                + " requests per " + properties.window().toSeconds() + " s for this enterprise is used up; retry after "
                + retryAfter + " s");
    }

    @Override
    public int getOrder() {
        // after Spring Security's filter chain (-100), which authenticates; before routing, so that a
        // refused request never reaches a route's retry or circuit breaker
        return 0;
    }
}

package org.singlewindow.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.gateway.Problems;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A per-address limit on requests that fail authentication: an address whose requests to
 * {@code /api/**} were answered 401 {@code requests} times within {@code window} gets 429 for the rest
 * of that window before its tokens are even looked at (no signature check, no key fetch). Counted per
 * gateway instance in a bounded cache (at most 100,000 addresses). Behind a proxy, the address is the
 * one the proxy forwards ({@code server.forward-headers-strategy=native}).
 */
public final class AnonymousLimitFilter implements WebFilter, Ordered {

    private final AnonymousLimitProperties settings;
    private final Cache<String, AtomicInteger> failures;
    private final MeterRegistry meters;

    AnonymousLimitFilter(AnonymousLimitProperties settings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
        this.failures = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(settings.window()).build();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        String address = remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
        AtomicInteger failed = failures.getIfPresent(address);
        if (failed != null && failed.get() >= settings.requests()) {
            meters.counter("sw.gateway.anonymous.rejected").increment();
            exchange.getResponse().getHeaders().set("Retry-After", Long.toString(settings.window().toSeconds()));
            return Problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                    "too many requests from this address failed authentication; retry later with a valid token");
        }
        // counted as the 401 is committed, before the client can read it: a client that sends its next request the
        // moment an answer arrives must find this failure counted (counting after the exchange completed raced it)
        exchange.getResponse().beforeCommit(() -> {
            if (HttpStatus.UNAUTHORIZED.equals(exchange.getResponse().getStatusCode())) {
                failures.get(address, a -> new AtomicInteger()).incrementAndGet();
            }
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        // before Spring Security's chain (-100), so that a refused address costs no token check
        return -200;
    }
}

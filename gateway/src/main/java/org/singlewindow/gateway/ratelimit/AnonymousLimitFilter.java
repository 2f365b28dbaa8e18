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

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A per-client limit on requests that fail authentication: a client whose requests to {@code /api/**} were
 * answered 401 {@code requests} times within {@code window} is answered 429 instead of 401 for the rest of that
 * window — but a request whose token verifies always passes, so that nobody can lock others out by failing from
 * their address. The client is the TCP peer or, behind trusted proxies only, the address they forward
 * ({@link ClientAddress}). Counted per gateway instance in a bounded cache (at most 100,000 clients); a failure
 * is counted as its 401 is committed, before the client can read it.
 */
public final class AnonymousLimitFilter implements WebFilter, Ordered {

    /** Set on an exchange from a client over its limit: its authentication failures are answered 429. */
    private static final String LIMITED = AnonymousLimitFilter.class.getName() + ".limited";

    private final AnonymousLimitProperties settings;
    private final ClientAddress clients;
    private final Cache<String, AtomicInteger> failures;
    private final MeterRegistry meters;

    AnonymousLimitFilter(AnonymousLimitProperties settings, ClientAddress clients, MeterRegistry meters) {
        this.settings = settings;
        this.clients = clients;
        this.meters = meters;
        this.failures = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(settings.window()).build();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        String client = clients.of(exchange.getRequest());
        AtomicInteger failed = failures.getIfPresent(client);
        if (failed != null && failed.get() >= settings.requests()) {
            exchange.getAttributes().put(LIMITED, Boolean.TRUE);
        } else {
            // counted as the 401 is committed, before the client can read it: a client that sends its next request
            // the moment an answer arrives finds this failure counted
            exchange.getResponse().beforeCommit(() -> {
                if (HttpStatus.UNAUTHORIZED.equals(exchange.getResponse().getStatusCode())) {
                    failures.get(client, a -> new AtomicInteger()).incrementAndGet();
                }
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }

    /** Whether the exchange's client is over its limit, so that an authentication failure is answered 429. */
    public boolean isLimited(ServerWebExchange exchange) {
        return exchange.getAttribute(LIMITED) != null;
    }

    /** The answer to a failed authentication of a client over its limit: 429 with {@code Retry-After}, no challenge. */
    public Mono<Void> refuse(ServerWebExchange exchange) {
        meters.counter("sw.gateway.anonymous.rejected").increment();
        exchange.getResponse().getHeaders().set("Retry-After", Long.toString(settings.window().toSeconds()));
        return Problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                "too many requests from this address failed authentication; retry later with a valid token");
    }

    @Override
    public int getOrder() {
        // before Spring Security's chain (-100), so that the client is known before its token is looked at
        return -200;
    }
}

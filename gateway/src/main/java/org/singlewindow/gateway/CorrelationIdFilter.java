package org.singlewindow.gateway;

import org.singlewindow.contract.Headers;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request a correlation id (keeping a well-formed one the client sent), passes it to the
 * service and returns it to the client. It then follows the declaration through every message.
 */
@Component
class CorrelationIdFilter implements GlobalFilter, Ordered {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        String id = exchange.getRequest().getHeaders().getFirst(Headers.HTTP_CORRELATION_ID);
        if (id == null || !SAFE.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
        }
        String correlationId = id;
        ServerWebExchange mutated = exchange.mutate()
                .request(r -> r.headers(h -> h.set(Headers.HTTP_CORRELATION_ID, correlationId)))
                .build();
        mutated.getResponse().beforeCommit(() -> {
            mutated.getResponse().getHeaders().set(Headers.HTTP_CORRELATION_ID, correlationId);
            return Mono.empty();
        });
        return chain.filter(mutated);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}

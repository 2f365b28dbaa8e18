package org.singlewindow.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where an open circuit or a failed call lands: a 503 problem the client can act on, never a
 * made-up answer.
 */
@RestController
class FallbackController {

    private static final Logger log = LoggerFactory.getLogger(FallbackController.class);

    private static final class Quiet {
        final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - 2_000_000_000L);
        final AtomicLong suppressed = new AtomicLong();
    }

    private final Map<String, Quiet> quietBy = new ConcurrentHashMap<>();
    private final Set<String> services;

    FallbackController(ServiceAddresses addresses) {
        this.services = Set.copyOf(addresses.services().keySet());
    }

    /**
     * Only a route's circuit breaker forwards here: a request from outside (no route on the exchange) or
     * naming no service of ours finds nothing, is not logged and leaves no trace in memory.
     */
    @RequestMapping("/fallback/{service}")
    ResponseEntity<ProblemDetail> unavailable(@PathVariable String service, ServerWebExchange exchange) {
        if (exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR) == null || !services.contains(service)) {
            ProblemDetail notFound = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no such resource");
            notFound.setTitle("Not found");
            notFound.setType(URI.create("https://singlewindow.org/problems/404"));
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(notFound);
        }
        // the client learns nothing internal; the operator learns why (an open circuit, a timeout, a refused connection)
        Throwable cause = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        // at most one line a second per service: an open circuit answers thousands of calls a minute
        long now = System.nanoTime();
        Quiet quiet = quietBy.computeIfAbsent(service, s -> new Quiet());
        quiet.suppressed.incrementAndGet();
        long last = quiet.lastLogged.get();
        if (now - last > 1_000_000_000L && quiet.lastLogged.compareAndSet(last, now)) {
            log.warn("{} unavailable ({} calls answered 503 since the last line): {}", service,
                    quiet.suppressed.getAndSet(0), cause == null ? "no cause recorded" : cause.toString());
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the " + service + " service is unavailable or too slow right now; nothing was lost on our side, retry later"
                        + " (a POST with the same Idempotency-Key is safe to retry)");
        problem.setTitle("Service unavailable");
        problem.setType(URI.create("https://singlewindow.org/problems/503"));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}

package org.singlewindow.gateway.ratelimit;

import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Windows kept in this JVM: right for a single gateway (the sandbox); each instance counts alone. */
final class InMemoryWindowCounter implements WindowCounter {

    private record Window(long number, AtomicLong count) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    @Override
    public Mono<Long> increment(String key, long window, long windowSeconds) {
        Window current = windows.compute(key, (k, w) -> w == null || w.number() != window ? new Window(window, new AtomicLong()) : w);
        return Mono.just(current.count().incrementAndGet());
    }
}

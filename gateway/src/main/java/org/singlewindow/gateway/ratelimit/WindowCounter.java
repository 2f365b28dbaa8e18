package org.singlewindow.gateway.ratelimit;

import reactor.core.publisher.Mono;

/** Counts requests per key in fixed time windows. */
interface WindowCounter {

    /**
     * Count one request of {@code key} in window number {@code window} and return the window's count
     * including it.
     */
    Mono<Long> increment(String key, long window, long windowSeconds);
}

package org.singlewindow.gateway.ratelimit;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Windows in Redis, shared by every gateway instance: one key per enterprise and window, incremented
 * and given an expiry atomically by a script, so a key never outlives its window by much.
 */
final class RedisWindowCounter implements WindowCounter {

    private static final RedisScript<Long> INCREMENT = RedisScript.of("""
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            return count""", Long.class);

    private final ReactiveStringRedisTemplate redis;

    RedisWindowCounter(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    @Override
    public Mono<Long> increment(String key, long window, long windowSeconds) {
        return redis.execute(INCREMENT, List.of("sw:rate:" + key + ":" + window), List.of(Long.toString(windowSeconds * 2)))
                .next();
    }
}

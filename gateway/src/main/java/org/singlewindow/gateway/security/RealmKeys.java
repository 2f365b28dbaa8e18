package org.singlewindow.gateway.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jwt.SignedJWT;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.function.Function;

/**
 * The realm's signing keys for the gateway's reactive decoder: the services' own
 * ({@link org.singlewindow.identity.RealmKeys}: cached, a key id not in the cache refetched at most once per
 * {@code minRefetch}). A fetch blocks, so it runs on the bounded-elastic scheduler.
 */
final class RealmKeys implements Function<SignedJWT, Flux<JWK>> {

    private final org.singlewindow.identity.RealmKeys keys;

    RealmKeys(String jwkSetUri, Duration minRefetch) {
        this.keys = new org.singlewindow.identity.RealmKeys(jwkSetUri, minRefetch);
    }

    @Override
    public Flux<JWK> apply(SignedJWT jwt) {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader()));
        return Mono.fromCallable(() -> keys.get(selector, null)).subscribeOn(Schedulers.boundedElastic()).flatMapMany(Flux::fromIterable);
    }
}

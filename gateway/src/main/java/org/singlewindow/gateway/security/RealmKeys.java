package org.singlewindow.gateway.security;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The realm's signing keys for the gateway's reactive decoder, kept as each service keeps them (the
 * kit's {@code RealmKeys}): Nimbus' {@link JWKSourceBuilder}, cached five minutes, a key id not in the
 * cache refetched at most once per {@code minRefetch}, so that tokens with made-up key ids cannot make
 * the gateway hammer the realm; within the interval an unknown key id finds no key (401) once keys have
 * been fetched. A fetch blocks, so it runs on the bounded-elastic scheduler.
 */
final class RealmKeys implements Function<SignedJWT, Flux<JWK>> {

    private final JWKSource<SecurityContext> source;
    private volatile boolean fetched;

    RealmKeys(String jwkSetUri, Duration minRefetch) {
        try {
            this.source = JWKSourceBuilder.<SecurityContext>create(URI.create(jwkSetUri).toURL())
                    .cache(Duration.ofMinutes(5).toMillis(), Duration.ofSeconds(15).toMillis())
                    .rateLimited(minRefetch.toMillis())
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("the JWKS URI is not a URL: " + jwkSetUri, e);
        }
    }

    @Override
    public Flux<JWK> apply(SignedJWT jwt) {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader()));
        return Mono.fromCallable(() -> keys(selector)).subscribeOn(Schedulers.boundedElastic()).flatMapMany(Flux::fromIterable);
    }

    private List<JWK> keys(JWKSelector selector) throws KeySourceException {
        try {
            List<JWK> keys = source.get(selector, null);
            fetched = true;
            return keys;
        } catch (RateLimitReachedException e) {
            if (fetched) {
                return List.of();
            }
            throw e;
        }
    }
}

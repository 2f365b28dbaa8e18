package org.singlewindow.identity;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;

import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The realm's signing keys for a JWT decoder (Nimbus' {@link JWKSourceBuilder}): fetched from the JWKS
 * endpoint and cached for five minutes; a token naming a key id that is not in the cache makes one
 * refetch, but at most once per {@code minRefetch} (rate-limited), so a flood of tokens with made-up key
 * ids costs the realm one request per interval, not one per token. Within the interval an unknown key
 * id finds no key (the token is refused, 401) once keys have been fetched at all; before the first
 * successful fetch the keys are unavailable (503 with Retry-After).
 */
public final class RealmKeys implements JWKSource<SecurityContext> {

    private static final Duration CACHE = Duration.ofMinutes(5);
    private static final Duration REFRESH_TIMEOUT = Duration.ofSeconds(15);

    private final JWKSource<SecurityContext> source;
    private volatile boolean fetched;

    public RealmKeys(String jwkSetUri, Duration minRefetch) {
        try {
            this.source = JWKSourceBuilder.<SecurityContext>create(URI.create(jwkSetUri).toURL())
                    .cache(CACHE.toMillis(), REFRESH_TIMEOUT.toMillis())
                    .rateLimited(minRefetch.toMillis())
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("the JWKS URI is not a URL: " + jwkSetUri, e);
        }
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        try {
            List<JWK> keys = source.get(selector, context);
            fetched = true;
            return keys;
        } catch (RateLimitReachedException e) {
            if (fetched) {
                return List.of(); // a key id the realm did not have a moment ago: no such key
            }
            throw e;
        }
    }
}

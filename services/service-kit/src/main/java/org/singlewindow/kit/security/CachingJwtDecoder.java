package org.singlewindow.kit.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import java.time.Duration;

/**
 * A bounded cache in front of the signature check: a token this service has verified itself is not
 * verified again while it is cached, but its claims are validated again on every use (expiry, not
 * before, issuer, audience), so an expired token is refused as soon as it expires. Keyed by the whole
 * token; only tokens that passed are cached. Each service still verifies every token it accepts — it
 * never trusts the gateway's check.
 */
public class CachingJwtDecoder implements JwtDecoder {

    private final JwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> verified;

    /**
     * @param verifier  checks signature and claims (the cache's source)
     * @param validator the claim checks, run again on every cached use
     * @param maxTokens most tokens kept
     * @param maxAge    longest a token stays cached (a key rotated away stops being trusted within it)
     */
    public CachingJwtDecoder(JwtDecoder verifier, OAuth2TokenValidator<Jwt> validator, long maxTokens, Duration maxAge) {
        this.verifier = verifier;
        this.validator = validator;
        this.verified = Caffeine.newBuilder().maximumSize(maxTokens).expireAfterWrite(maxAge).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt cached = verified.getIfPresent(token);
        if (cached == null) {
            Jwt jwt = verifier.decode(token);
            verified.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = validator.validate(cached);
        if (result.hasErrors()) {
            verified.invalidate(token);
            throw new JwtValidationException("the token is no longer valid: " + result.getErrors().iterator().next().getDescription(),
                    result.getErrors());
        }
        return cached;
    }
}

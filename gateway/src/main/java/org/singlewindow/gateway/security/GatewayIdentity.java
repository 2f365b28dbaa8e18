package org.singlewindow.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Whom the gateway trusts ({@code sw.security.*}, the same keys as the services').
 *
 * @param issuerUri the realm's issuer; tokens must carry exactly this {@code iss}
 * @param jwkSetUri where the signing keys are; by default Keycloak's path under the issuer
 * @param audience  the {@code aud} every token must include
 * @param clockSkew tolerance on {@code exp} and {@code nbf}
 * @param jwksMinRefetch least time between two fetches of the realm's keys for key ids not in the cache (30 s)
 */
@ConfigurationProperties("sw.security")
public record GatewayIdentity(String issuerUri, String jwkSetUri, String audience, Duration clockSkew,
                              Duration jwksMinRefetch) {

    public GatewayIdentity {
        if (issuerUri == null || issuerUri.isBlank()) {
            throw new IllegalArgumentException("sw.security.issuer-uri is required (the realm's issuer URL)");
        }
        issuerUri = issuerUri.endsWith("/") ? issuerUri.substring(0, issuerUri.length() - 1) : issuerUri;
        jwkSetUri = jwkSetUri == null || jwkSetUri.isBlank() ? issuerUri + "/protocol/openid-connect/certs" : jwkSetUri;
        audience = audience == null || audience.isBlank() ? "single-window" : audience;
        clockSkew = clockSkew == null ? Duration.ofSeconds(5) : clockSkew;
        jwksMinRefetch = jwksMinRefetch == null ? Duration.ofSeconds(30) : jwksMinRefetch;
    }
}

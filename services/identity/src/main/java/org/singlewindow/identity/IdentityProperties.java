package org.singlewindow.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Whom a service trusts ({@code sw.security.*}).
 *
 * @param issuerUri    the realm's issuer, e.g. {@code https://keycloak.example/realms/single-window}; tokens
 *                     must carry exactly this {@code iss}
 * @param jwkSetUri    where the signing keys are; by default Keycloak's path under the issuer
 * @param audience     the {@code aud} every token must include
 * @param clockSkew    tolerance on {@code exp} and {@code nbf} for clocks that drift
 * @param clientSecret this service's own client secret for client-credentials calls to other services
 * @param jwksMinRefetch least time between two fetches of the realm's keys for key ids not in the cache
 *                       (30 s): tokens naming unknown key ids cannot make the service hammer the realm
 */
@ConfigurationProperties("sw.security")
public record IdentityProperties(String issuerUri, String jwkSetUri, String audience, Duration clockSkew,
                                 String clientSecret, Duration jwksMinRefetch) {

    public IdentityProperties {
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

package org.singlewindow.identity;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How the platform reads a token of its realm — the same in every service, the gateway and the console.
 */
public final class RealmTokens {

    private RealmTokens() {
    }

    /**
     * What every token must pass beyond its signature: not expired nor not yet valid (within {@code clockSkew}),
     * issued by exactly the realm, for the platform's audience.
     */
    public static OAuth2TokenValidator<Jwt> validator(IdentityProperties identity) {
        OAuth2Error wrongAudience = new OAuth2Error("invalid_token", "The token's audience does not include " + identity.audience(), null);
        return new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(identity.clockSkew()),
                new JwtIssuerValidator(identity.issuerUri()),
                jwt -> jwt.getAudience() != null && jwt.getAudience().contains(identity.audience())
                        ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(wrongAudience));
    }

    /** The token's realm roles ({@code realm_access.roles}, where Keycloak puts them) as {@code ROLE_<role>} authorities. */
    public static Collection<GrantedAuthority> authorities(Jwt jwt) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        if (jwt.getClaim("realm_access") instanceof Map<?, ?> access && access.get("roles") instanceof Collection<?> roles) {
            roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
        }
        return authorities;
    }

    /** Who the token is about, as the platform names people: the user name, else the subject (a service account's). */
    public static String principalName(Jwt jwt) {
        String name = jwt.getClaimAsString("preferred_username");
        return name != null ? name : jwt.getSubject();
    }
}

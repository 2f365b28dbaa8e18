package org.singlewindow.identity;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A token of the realm, read the same way by every service, the gateway and the console. */
class RealmTokensTest {

    private static final IdentityProperties REALM = new IdentityProperties("http://127.0.0.1:8180/realms/single-window/",
            null, null, null, null, null);

    private static Jwt token(String issuer, List<String> audience, Instant expires, Map<String, Object> claims) {
        Jwt.Builder builder = Jwt.withTokenValue("t").header("alg", "RS256").issuer(issuer).audience(audience)
                .subject("9f1c").issuedAt(expires.minusSeconds(300)).expiresAt(expires);
        claims.forEach(builder::claim);
        return builder.build();
    }

    @Test
    void realmRolesBecomeAuthoritiesAndNothingElseDoes() {
        Jwt jwt = token(REALM.issuerUri(), List.of("single-window"), Instant.now().plusSeconds(60), Map.of(
                "realm_access", Map.of("roles", List.of(Roles.ENTERPRISE, "customs-officer")),
                "resource_access", Map.of("account", Map.of("roles", List.of("manage-account")))));
        assertThat(RealmTokens.authorities(jwt)).extracting(GrantedAuthority::getAuthority)
                .containsExactly("ROLE_enterprise", "ROLE_customs-officer");
        assertThat(RealmTokens.authorities(token(REALM.issuerUri(), List.of("single-window"), Instant.now().plusSeconds(60),
                Map.of("scope", "openid")))).isEmpty();
    }

    @Test
    void aPersonIsNamedByUserNameAServiceAccountBySubject() {
        Instant later = Instant.now().plusSeconds(60);
        assertThat(RealmTokens.principalName(token(REALM.issuerUri(), List.of("single-window"), later,
                Map.of("preferred_username", "enterprise-a")))).isEqualTo("enterprise-a");
        assertThat(RealmTokens.principalName(token(REALM.issuerUri(), List.of("single-window"), later, Map.of()))).isEqualTo("9f1c");
    }

    @Test
    void aTokenPassesOnlyForTheRealmsIssuerThePlatformsAudienceAndWhileValid() {
        var validator = RealmTokens.validator(REALM);
        Instant later = Instant.now().plusSeconds(60);
        assertThat(validator.validate(token("http://127.0.0.1:8180/realms/single-window", List.of("single-window"), later, Map.of()))
                .hasErrors()).isFalse();
        assertThat(validator.validate(token("http://127.0.0.1:8180/realms/other", List.of("single-window"), later, Map.of()))
                .hasErrors()).isTrue();
        assertThat(validator.validate(token(REALM.issuerUri(), List.of("account"), later, Map.of())).getErrors())
                .anySatisfy(e -> assertThat(e.getDescription()).contains("audience does not include single-window"));
        assertThat(validator.validate(token(REALM.issuerUri(), List.of("single-window"),
                Instant.now().minus(Duration.ofMinutes(1)), Map.of())).hasErrors()).isTrue();
        assertThat(validator.validate(token(REALM.issuerUri(), List.of("single-window"),
                Instant.now().minusSeconds(2), Map.of())).hasErrors()).as("within the clock skew").isFalse();
    }
}

package org.singlewindow.kit.security;

import org.singlewindow.identity.RealmKeys;
import org.singlewindow.identity.IdentityProperties;
import org.singlewindow.identity.RealmTokens;
import org.singlewindow.identity.Roles;
import jakarta.servlet.DispatcherType;
import org.singlewindow.kit.Deployment;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;

import java.time.Duration;
import java.util.List;

/**
 * Every service is an OAuth2 resource server of the realm: a JWT is accepted only when its signature
 * verifies against the realm's JWKS, its {@code iss} is the configured issuer, its {@code aud} includes
 * the platform's audience and it has not expired. Realm roles ({@code realm_access.roles}) become
 * {@code ROLE_*} authorities. Health, info, the metrics endpoint (served on the management port, which
 * the gateway does not route) and the OpenAPI document are public; {@code /api/v1/admin/**} is split
 * by what is administered — reference data ({@code reference-admin}), guarantee accounts and tax statements
 * ({@code finance-admin}), dead letters and the outbox ({@code operations-admin}), the audit log (any of
 * them); each service adds its rules through {@link AccessRules} beans; anything else is denied.
 * A service trusts no request for having come through the gateway.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"})
@EnableConfigurationProperties(IdentityProperties.class)
public class KitSecurityAutoConfiguration {

    @Bean
    JwtDecoder jwtDecoder(IdentityProperties identity) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(new RealmKeys(identity.jwkSetUri(), identity.jwksMinRefetch()))
                .jwsAlgorithm(SignatureAlgorithm.RS256).build();
        OAuth2TokenValidator<Jwt> claims = RealmTokens.validator(identity);
        decoder.setJwtValidator(claims);
        // an enterprise's token is used for many requests: its signature is verified once per service
        return new CachingJwtDecoder(decoder, claims, 10_000, Duration.ofMinutes(5));
    }

    /**
     * Outside the sandbox a service does not start without its own client secret, nor with the demo
     * realm's ({@code sandbox-…}): its calls to other services would fail at the first message, or be
     * made with a secret anyone can read in this repository.
     */
    @Bean
    ClientSecretChecked clientSecretChecked(IdentityProperties identity, Environment environment) {
        Deployment.secret(identity.clientSecret(), environment.getProperty("sw.env"), "SW_SECURITY_CLIENT_SECRET", null);
        return new ClientSecretChecked();
    }

    /** The bean that marks {@link #clientSecretChecked} done. */
    static final class ClientSecretChecked {
    }

    /** {@code realm_access.roles} → {@code ROLE_<role>}; the principal's name is the user name. */
    static JwtAuthenticationToken authentication(Jwt jwt) {
        return new JwtAuthenticationToken(jwt, RealmTokens.authorities(jwt), RealmTokens.principalName(jwt));
    }

    @Bean
    SecurityFilterChain kitSecurityFilterChain(HttpSecurity http, JwtDecoder decoder,
                                               ObjectProvider<AccessRules> serviceRules) throws Exception {
        List<AccessRules> rules = serviceRules.orderedStream().toList();
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers();
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(requests -> {
                    requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    requests.requestMatchers(EndpointRequest.toAnyEndpoint()).permitAll();
                    requests.requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**").permitAll();
                    // administrators by what they administer: reference data, money, operations; the audit to any of them
                    requests.requestMatchers("/api/v1/admin/*/reference", "/api/v1/admin/*/reference/**")
                            .hasRole(Roles.REFERENCE_ADMIN);
                    requests.requestMatchers("/api/v1/admin/*/guarantee-accounts/**", "/api/v1/admin/*/tax-statements",
                            "/api/v1/admin/*/tax-statements/**").hasRole(Roles.FINANCE_ADMIN);
                    requests.requestMatchers("/api/v1/admin/*/dead-letters", "/api/v1/admin/*/dead-letters/**",
                            "/api/v1/admin/*/outbox", "/api/v1/admin/*/outbox/**").hasRole(Roles.OPERATIONS_ADMIN);
                    requests.requestMatchers(HttpMethod.GET, "/api/v1/admin/*/audit")
                            .hasAnyRole(Roles.REFERENCE_ADMIN, Roles.FINANCE_ADMIN, Roles.OPERATIONS_ADMIN);
                    requests.requestMatchers("/api/v1/admin/**").denyAll();
                    rules.forEach(rule -> rule.configure(requests));
                    requests.anyRequest().denyAll();
                })
                .oauth2ResourceServer(oauth -> oauth
                        .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(KitSecurityAutoConfiguration::authentication))
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers)
                        .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                            @Override
                            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                                filter.setAuthenticationFailureHandler(handlers);
                                return filter;
                            }
                        }))
                .exceptionHandling(e -> e.authenticationEntryPoint(handlers).accessDeniedHandler(handlers));
        return http.build();
    }
}

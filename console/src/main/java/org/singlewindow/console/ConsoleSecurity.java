package org.singlewindow.console;

import org.singlewindow.identity.RealmTokens;
import org.singlewindow.identity.Roles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.client.RestClient;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Log-in through the realm with the authorization-code flow (the public client {@code single-window-app}:
 * PKCE, no secret), the tokens kept in the server-side session; CSRF tokens on every form (Spring
 * Security's default); log-out ends the realm session too (RP-initiated log-out with the id token). Every
 * page needs a logged-in person except the style sheet and the error page, and each part of the console
 * the realm role it is for: an enterprise's declarations, an officer's cases, an operator's dead letters,
 * a consumer's quota.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    /** The registration of the realm in {@code spring.security.oauth2.client}. */
    static final String REALM = "realm";

    @Bean
    SecurityFilterChain consoleChain(HttpSecurity http, ClientRegistrationRepository registrations) throws Exception {
        OidcClientInitiatedLogoutSuccessHandler logout = new OidcClientInitiatedLogoutSuccessHandler(registrations);
        logout.setPostLogoutRedirectUri("{baseUrl}/");
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/css/**", "/js/**", "/error").permitAll()
                        // health and metrics: on the management port, which the gateway does not route
                        .requestMatchers("/actuator/**").permitAll()
                        // each part for the role it is for (the API checks again: this only keeps people off pages they cannot use)
                        .requestMatchers("/declarations", "/declarations/**").hasRole(Roles.ENTERPRISE)
                        .requestMatchers("/cases", "/cases/**").hasAnyRole(Person.OFFICERS.toArray(String[]::new))
                        .requestMatchers("/operations", "/operations/**").hasRole(Roles.OPERATIONS_ADMIN)
                        .requestMatchers("/reference", "/reference/**").hasRole(Roles.REFERENCE_ADMIN)
                        .requestMatchers("/finance", "/finance/**").hasRole(Roles.FINANCE_ADMIN)
                        .requestMatchers("/quota").hasRole(Roles.CONSUMER)
                        .anyRequest().authenticated())
                .oauth2Login(login -> login.userInfoEndpoint(info -> info.oidcUserService(withRealmRoles())))
                .logout(out -> out.logoutSuccessHandler(logout))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")))
                .build();
    }

    /**
     * The person's realm roles as authorities ({@code ROLE_enterprise}, ...): read from the access token
     * ({@code realm_access.roles}, where Keycloak puts them; the id token does not carry them), verified
     * with the realm's keys like any token.
     */
    private static OAuth2UserService<OidcUserRequest, OidcUser> withRealmRoles() {
        OidcUserService standard = new OidcUserService();
        Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
        return request -> {
            OidcUser user = standard.loadUser(request);
            ClientRegistration realm = request.getClientRegistration();
            Jwt access = decoders.computeIfAbsent(realm.getRegistrationId(),
                            id -> NimbusJwtDecoder.withJwkSetUri(realm.getProviderDetails().getJwkSetUri()).build())
                    .decode(request.getAccessToken().getTokenValue());
            Set<GrantedAuthority> authorities = new HashSet<>(user.getAuthorities());
            authorities.addAll(RealmTokens.authorities(access));
            return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), "preferred_username");
        };
    }

    @Bean
    OAuth2AuthorizedClientManager authorizedClients(ClientRegistrationRepository registrations,
                                                    OAuth2AuthorizedClientRepository clients) {
        DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(registrations, clients);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .authorizationCode().refreshToken().build());
        return manager;
    }

    /** The API through the gateway, with the logged-in person's access token (refreshed when it expires). */
    @Bean
    RestClient gateway(ConsoleProperties properties, OAuth2AuthorizedClientManager clients) {
        OAuth2ClientHttpRequestInterceptor token = new OAuth2ClientHttpRequestInterceptor(clients);
        token.setClientRegistrationIdResolver(request -> REALM);
        return RestClient.builder().baseUrl(properties.gatewayUrl().toString()).requestInterceptor(token).build();
    }
}

package org.singlewindow.gateway.security;

import org.singlewindow.identity.IdentityProperties;
import org.singlewindow.identity.RealmTokens;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.singlewindow.gateway.Problems;
import org.singlewindow.gateway.ratelimit.AnonymousLimitFilter;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import java.time.Duration;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;


/**
 * The gateway is a resource server of the realm like every service: no request reaches a route under
 * {@code /api/} without a JWT whose signature (JWKS), issuer, audience and expiry check out. It relays
 * the token unchanged; each service checks it again and decides on roles and tenant itself.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(IdentityProperties.class)
class GatewaySecurity {

    /**
     * The web console's paths: its pages, its log-in and log-out, its static files. The console route
     * ({@code application.yml}, route {@code console}) sends exactly these to it (GatewayRoutesTest).
     */
    static final java.util.List<String> CONSOLE_PATHS = java.util.List.of("/", "/declarations", "/declarations/**", "/cases",
            "/cases/**", "/operations", "/operations/**", "/reference", "/reference/**", "/finance", "/finance/**", "/quota",
            "/oauth2/authorization/**", "/login", "/login/oauth2/code/**", "/logout", "/css/**", "/js/**");


    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GatewaySecurity.class);

    /**
     * A request the firewall refuses (encoded NUL, slash, percent, semicolon or dots in the path) is a
     * 400 problem like any other bad request, not an empty answer.
     */
    @Bean
    ServerExchangeRejectedHandler problemOnRejectedExchange() {
        return (exchange, rejected) -> Problems.write(exchange, HttpStatus.BAD_REQUEST, "Bad request",
                "the request path is not allowed: " + rejected.getMessage());
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(IdentityProperties identity) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(new RealmKeys(identity.jwkSetUri(), identity.jwksMinRefetch()))
                .jwsAlgorithm(SignatureAlgorithm.RS256).build();
        OAuth2TokenValidator<Jwt> claims = RealmTokens.validator(identity);
        decoder.setJwtValidator(claims);
        // a token verified here is not verified again while cached (bounded, 5 min at most), but its claims are
        // checked on every use, so it is refused as soon as it expires; only tokens that passed are cached
        Cache<String, Jwt> verified = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(5)).build();
        // the reactive decoder reports unreachable keys as a bare IllegalStateException, which would be a 500;
        // as a JwtException it becomes an AuthenticationServiceException, answered 503 below
        return token -> {
            Jwt cached = verified.getIfPresent(token);
            if (cached != null) {
                OAuth2TokenValidatorResult result = claims.validate(cached);
                if (!result.hasErrors()) {
                    return Mono.just(cached);
                }
                verified.invalidate(token);
                return Mono.error(new JwtValidationException("the token is no longer valid", result.getErrors()));
            }
            return decoder.decode(token)
                    .doOnNext(jwt -> verified.put(token, jwt))
                    .onErrorMap(e -> !(e instanceof JwtException),
                            e -> new JwtException("cannot fetch the realm's keys: " + e.getMessage(), e));
        };
    }

    static Mono<JwtAuthenticationToken> authentication(Jwt jwt) {
        return Mono.just(new JwtAuthenticationToken(jwt, RealmTokens.authorities(jwt), RealmTokens.principalName(jwt)));
    }

    @Bean
    SecurityWebFilterChain gatewaySecurityChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder, AnonymousLimitFilter limit) {
        // a client over its limit of failed authentications is answered 429 instead of 401; a token that verifies passes
        ServerAuthenticationEntryPoint refused = (exchange, e) -> limit.isLimited(exchange)
                ? limit.refuse(exchange) : unauthorized(exchange, e);
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/**").permitAll()
                        .pathMatchers("/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/webjars/**").permitAll()
                        .pathMatchers("/fallback/**").permitAll()
                        .pathMatchers("/api/**").authenticated()
                        // the console's pages: it logs people in itself (authorization code) and keeps their session
                        .pathMatchers(CONSOLE_PATHS.toArray(String[]::new)).permitAll()
                        .anyExchange().denyAll())
                .oauth2ResourceServer(oauth -> oauth
                        .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(GatewaySecurity::authentication))
                        .authenticationEntryPoint(refused)
                        .authenticationFailureHandler((filterExchange, e) -> e instanceof AuthenticationServiceException
                                ? unavailable(filterExchange.getExchange(), e)
                                : refused.commence(filterExchange.getExchange(), e))
                        .accessDeniedHandler(GatewaySecurity::forbidden))
                .exceptionHandling(e -> e.authenticationEntryPoint(refused)
                        .accessDeniedHandler(GatewaySecurity::forbidden))
                .build();
    }

    /** 401 with the RFC 6750 challenge and a problem body. */
    static Mono<Void> unauthorized(ServerWebExchange exchange, AuthenticationException e) {
        String challenge = "Bearer";
        String detail = "a bearer token is required (Authorization: Bearer <access token from the realm's token endpoint>)";
        if (e instanceof OAuth2AuthenticationException oauth) {
            OAuth2Error error = oauth.getError();
            String description = error.getDescription() == null ? error.getErrorCode() : error.getDescription();
            challenge = "Bearer error=\"" + error.getErrorCode() + "\", error_description=\"" + description.replace('"', '\'') + "\"";
            detail = "the bearer token was refused: " + description;
        }
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return Problems.write(exchange, HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }

    /** The realm's keys cannot be fetched: not the caller's fault. */
    static Mono<Void> unavailable(ServerWebExchange exchange, AuthenticationException e) {
        log.warn("cannot check a bearer token: {}", e.getMessage());
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        return Problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "Identity provider unavailable",
                "the token could not be checked because the identity provider's keys cannot be fetched; retry later");
    }

    static Mono<Void> forbidden(ServerWebExchange exchange, AccessDeniedException e) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
        return Problems.write(exchange, HttpStatus.FORBIDDEN, "Forbidden", "the path is not open to this token");
    }
}

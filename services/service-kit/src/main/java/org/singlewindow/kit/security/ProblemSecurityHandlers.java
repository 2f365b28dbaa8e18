package org.singlewindow.kit.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.singlewindow.kit.web.Problems;
import org.springframework.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import java.io.IOException;
import java.util.List;

/**
 * 401 and 403 as {@code application/problem+json}, with the RFC 6750 {@code WWW-Authenticate}
 * header that Spring Security's bearer-token handlers set; 503 when the realm's keys cannot be fetched.
 */
final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler, AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemSecurityHandlers.class);

    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        bearerEntryPoint.commence(request, response, e);
        String detail = request.getHeader("Authorization") == null
                ? "a bearer token is required (Authorization: Bearer <access token from the realm's token endpoint>)"
                : "the bearer token was refused: " + e.getMessage();
        write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }

    /**
     * A token that could not be checked because the realm's keys could not be fetched is not the
     * caller's fault: 503 with Retry-After, not 401 (and not the 500 Spring answers by default).
     */
    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof AuthenticationServiceException) {
            log.warn("cannot check a bearer token: {}", e.getMessage());
            response.setHeader("Retry-After", "5");
            write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "Identity provider unavailable",
                    "the token could not be checked because the identity provider's keys cannot be fetched; retry later");
            return;
        }
        commence(request, response, e);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        bearerDenied.handle(request, response, e);
        write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
                "the token's roles do not allow " + request.getMethod() + " " + request.getRequestURI());
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                              String title, String detail) throws IOException {
        Problems.write(request, response, status, title, detail, List.of());
    }
}

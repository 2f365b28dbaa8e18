package org.singlewindow.kit.security;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemSecurityHandlersTest {

    private final ProblemSecurityHandlers handlers = new ProblemSecurityHandlers();

    @Test
    void keysThatCannotBeFetchedAre503NotTheCallersFault() throws Exception {
        var request = new MockHttpServletRequest("GET", "/api/v1/declarations");
        request.addHeader("Authorization", "Bearer x");
        var response = new MockHttpServletResponse();

        handlers.onAuthenticationFailure(request, response,
                new AuthenticationServiceException("Couldn't retrieve remote JWK set"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).contains("Identity provider unavailable");
    }

    @Test
    void aBadTokenIs401WithABearerChallenge() throws Exception {
        var request = new MockHttpServletRequest("GET", "/api/v1/declarations");
        request.addHeader("Authorization", "Bearer x");
        var response = new MockHttpServletResponse();

        handlers.onAuthenticationFailure(request, response, new InvalidBearerTokenException("Jwt expired"));

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
        assertThat(response.getContentAsString()).contains("the bearer token was refused");
    }
}

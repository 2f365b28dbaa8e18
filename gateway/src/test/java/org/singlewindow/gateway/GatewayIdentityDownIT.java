package org.singlewindow.gateway;

import org.junit.jupiter.api.Test;
import org.singlewindow.infra.embedded.FreePort;
import org.singlewindow.infra.embedded.TestInfrastructure;
import org.singlewindow.infra.embedded.Tokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** When the realm's keys cannot be fetched, a token cannot be checked: 503, not 401 and not 500. */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.server.port=0")
class GatewayIdentityDownIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sw.security.issuer-uri", () -> TestInfrastructure.issuer().issuer());
        registry.add("sw.security.jwk-set-uri", () -> "http://127.0.0.1:" + FreePort.find() + "/certs");
    }

    @LocalServerPort
    int port;

    @Test
    void aTokenThatCannotBeCheckedIs503WithRetryAfter() throws Exception {
        String token = new Tokens(TestInfrastructure.issuer().issuer()).user("enterprise-a");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/declarations"))
                        .header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
}

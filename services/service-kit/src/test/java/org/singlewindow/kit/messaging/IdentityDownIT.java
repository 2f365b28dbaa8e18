package org.singlewindow.kit.messaging;

import org.junit.jupiter.api.AfterAll;
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

/** A service whose realm keys cannot be fetched answers 503 (not 401, not 500) to a token it cannot check. */
@SpringBootTest(classes = KitTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.application.name=kit", "sw.database.schema=kit_down", "management.server.port=0"})
class IdentityDownIT {

    private static final TestInfrastructure infra = TestInfrastructure.start();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        infra.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("sw.security.jwk-set-uri", () -> "http://127.0.0.1:" + FreePort.find() + "/certs");
    }

    @AfterAll
    static void stop() {
        infra.close();
    }

    @LocalServerPort
    int port;

    @Test
    void aTokenThatCannotBeCheckedIs503WithRetryAfter() throws Exception {
        String token = new Tokens(TestInfrastructure.issuer().issuer()).user("admin");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/admin/kit/dead-letters"))
                        .header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
}

package org.singlewindow.infra.embedded;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedIssuerTest {

    private static EmbeddedIssuer issuer;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        issuer = EmbeddedIssuer.start(0);
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    private static HttpResponse<String> post(String form, String basic) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(issuer.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (basic != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JWTClaimsSet verified(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String token = (String) JSONObjectUtils.parse(response.body()).get("access_token");
        SignedJWT jwt = SignedJWT.parse(token);
        String jwks = http.send(HttpRequest.newBuilder(URI.create(issuer.jwksUri())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        RSAKey key = (RSAKey) JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        return jwt.getJWTClaimsSet();
    }

    @Test
    void issuesKeycloakShapedTokensForDemoUsersFromTheRealmFile() throws Exception {
        JWTClaimsSet claims = verified(post("grant_type=password&client_id=single-window-app&username=enterprise-a&password=sandbox-demo", null));

        assertThat(claims.getIssuer()).isEqualTo("http://127.0.0.1:" + issuer.port() + "/realms/single-window");
        assertThat(claims.getAudience()).containsExactly("single-window");
        assertThat(claims.getStringClaim("enterprise_id")).isEqualTo("4101960005");
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo("enterprise-a");
        assertThat(claims.getJSONObjectClaim("realm_access")).isEqualTo(Map.of("roles", java.util.List.of("enterprise")));
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(300_000L);
    }

    @Test
    void issuesServiceAccountTokensForConfidentialClients() throws Exception {
        JWTClaimsSet claims = verified(post("grant_type=client_credentials", "sw-customs:sandbox-customs-secret"));
        assertThat(claims.getJSONObjectClaim("realm_access")).isEqualTo(Map.of("roles", java.util.List.of("platform-service")));
        assertThat(claims.getStringClaim("azp")).isEqualTo("sw-customs");
        assertThat(claims.getAudience()).containsExactly("single-window");

        JWTClaimsSet probe = verified(post("grant_type=client_credentials&client_id=sw-probe&client_secret=sandbox-probe-secret", null));
        assertThat(probe.getExpirationTime().getTime() - probe.getIssueTime().getTime()).isEqualTo(5_000L);
    }

    @Test
    void aClientWithoutAnAudienceMapperGetsNoSingleWindowAudience() throws Exception {
        JWTClaimsSet claims = verified(post("grant_type=password&client_id=sw-foreign-app&username=enterprise-a&password=sandbox-demo", null));
        assertThat(claims.getAudience()).isEmpty();
        assertThat(claims.getClaim("enterprise_id")).isNull();
    }

    @Test
    void refusesWrongCredentialsAndGrantsTheClientDoesNotHave() throws Exception {
        assertThat(post("grant_type=password&client_id=single-window-app&username=enterprise-a&password=wrong", null).statusCode()).isEqualTo(401);
        assertThat(post("grant_type=password&client_id=single-window-app&username=nobody&password=sandbox-demo", null).statusCode()).isEqualTo(401);
        assertThat(post("grant_type=client_credentials", "sw-customs:wrong").statusCode()).isEqualTo(401);
        assertThat(post("grant_type=client_credentials&client_id=single-window-app", null).statusCode()).isEqualTo(401);
        assertThat(post("grant_type=password&client_id=sw-customs&client_secret=sandbox-customs-secret&username=enterprise-a&password=sandbox-demo", null).statusCode()).isEqualTo(400);
        assertThat(post("grant_type=authorization_code&client_id=single-window-app", null).statusCode()).isEqualTo(400);
        HttpResponse<String> error = post("grant_type=password&client_id=nope&username=a&password=b", null);
        assertThat(error.statusCode()).isEqualTo(401);
        assertThat(JSONObjectUtils.parse(error.body())).containsEntry("error", "invalid_client");
    }

    @Test
    void everyDemoUserOfTheRealmFileGetsAToken() throws Exception {
        String realm;
        try (var in = EmbeddedIssuer.class.getClassLoader().getResourceAsStream(EmbeddedIssuer.REALM_RESOURCE)) {
            realm = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int people = 0;
        for (Object u : (java.util.List<?>) JSONObjectUtils.parse(realm).get("users")) {
            Map<?, ?> user = (Map<?, ?>) u;
            if (user.get("serviceAccountClientId") == null) {
                people++;
                verified(post("grant_type=password&client_id=single-window-app&username=" + user.get("username")
                        + "&password=sandbox-demo", null));
            }
        }
        assertThat(people).isGreaterThanOrEqualTo(10);
    }

    @Test
    void refusesAUserWhoseProfileKeycloakWouldCallIncomplete() throws Exception {
        String realm = """
                {"realm": "r", "users": [
                  {"username": "ok", "firstName": "Li", "lastName": "Ming", "email": "ok@example.test",
                   "credentials": [{"type": "password", "value": "p"}]},
                  {"username": "brackets", "firstName": "Li", "lastName": "Ming (demo)", "email": "b@example.test",
                   "credentials": [{"type": "password", "value": "p"}]},
                  {"username": "no-names", "credentials": [{"type": "password", "value": "p"}]}],
                 "clients": [{"clientId": "app", "publicClient": true, "directAccessGrantsEnabled": true}]}
                """;
        try (EmbeddedIssuer other = EmbeddedIssuer.start(0, realm)) {
            for (String username : java.util.List.of("ok", "no-names", "brackets")) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(other.tokenEndpoint()))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=app&username=" + username + "&password=p"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (!username.equals("brackets")) {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                } else {
                    assertThat(answer.statusCode()).as(username).isEqualTo(400);
                    assertThat(JSONObjectUtils.parse(answer.body()))
                            .containsEntry("error", "invalid_grant")
                            .containsEntry("error_description", "Account is not fully set up");
                }
            }
        }
    }

    @Test
    void publishesDiscoveryOnKeycloaksPath() throws Exception {
        String doc = http.send(HttpRequest.newBuilder(URI.create(issuer.issuer() + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Object> json = JSONObjectUtils.parse(doc);
        assertThat(json).containsEntry("issuer", issuer.issuer())
                .containsEntry("jwks_uri", issuer.jwksUri())
                .containsEntry("token_endpoint", issuer.tokenEndpoint());
    }
}

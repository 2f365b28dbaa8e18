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

    // --- the authorization code flow with PKCE (the console, Swagger UI) ----------------------------

    private static final String APP = "single-window-app";
    private static final String CALLBACK = "http://localhost:8080/console/login/oauth2/code/realm";

    /** A PKCE pair: the verifier and its S256 challenge. */
    private record Pkce(String verifier, String challenge) {
        static Pkce fresh() throws Exception {
            byte[] bytes = new byte[32];
            new java.security.SecureRandom().nextBytes(bytes);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            return new Pkce(verifier, challenge);
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String authorizeUrl(String redirect, Pkce pkce) {
        return issuer.issuer() + "/protocol/openid-connect/auth?response_type=code&client_id=" + APP + "&redirect_uri="
                + java.net.URLEncoder.encode(redirect, StandardCharsets.UTF_8) + "&scope=openid&state=st-1&nonce=n-1"
                + (pkce == null ? "" : "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256");
    }

    private static HttpResponse<String> login(String page, String username, String password) throws Exception {
        java.util.regex.Matcher session = java.util.regex.Pattern.compile("name=\"session_code\" value=\"([^\"]+)\"").matcher(page);
        assertThat(session.find()).as(page).isTrue();
        return http.send(HttpRequest.newBuilder(URI.create(issuer.issuer() + "/protocol/openid-connect/auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("session_code=" + session.group(1) + "&username=" + username
                        + "&password=" + password)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The code the log-in redirected back with. */
    private static String code(HttpResponse<String> redirected) {
        assertThat(redirected.statusCode()).as(redirected.body()).isEqualTo(302);
        String location = redirected.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(CALLBACK + "?code=").endsWith("&state=st-1");
        return location.substring((CALLBACK + "?code=").length(), location.indexOf("&state="));
    }

    private static HttpResponse<String> exchange(String code, String verifier) throws Exception {
        return post("grant_type=authorization_code&client_id=" + APP + "&code=" + code + "&redirect_uri="
                + java.net.URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8) + "&code_verifier=" + verifier, null);
    }

    @Test
    void aUserLogsInOnThePageAndTheClientRedeemsTheCodeOnceWithItsPkceVerifier() throws Exception {
        Pkce pkce = Pkce.fresh();
        HttpResponse<String> page = get(authorizeUrl(CALLBACK, pkce));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<label for=\"username\">").contains("<label for=\"password\">");

        HttpResponse<String> wrong = login(page.body(), "enterprise-a", "not-the-password");
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("Invalid username or password.");
        String code = code(login(wrong.body(), "enterprise-a", "sandbox-demo"));

        HttpResponse<String> tokens = exchange(code, pkce.verifier());
        JWTClaimsSet access = verified(tokens);
        assertThat(access.getStringClaim("enterprise_id")).isEqualTo("4101960005");
        Map<String, Object> body = JSONObjectUtils.parse(tokens.body());
        JWTClaimsSet id = SignedJWT.parse((String) body.get("id_token")).getJWTClaimsSet();
        assertThat(id.getAudience()).containsExactly(APP);
        assertThat(id.getStringClaim("nonce")).isEqualTo("n-1");
        assertThat(id.getStringClaim("sid")).isEqualTo(access.getStringClaim("sid")).isNotBlank();
        // once only
        assertThat(JSONObjectUtils.parse(exchange(code, pkce.verifier()).body())).containsEntry("error", "invalid_grant");

        // the refresh token is single-use, and the realm session ends at log-out
        String refresh = (String) body.get("refresh_token");
        HttpResponse<String> refreshed = post("grant_type=refresh_token&client_id=" + APP + "&refresh_token=" + refresh, null);
        verified(refreshed);
        assertThat(post("grant_type=refresh_token&client_id=" + APP + "&refresh_token=" + refresh, null).statusCode()).isEqualTo(400);
        String next = (String) JSONObjectUtils.parse(refreshed.body()).get("refresh_token");
        HttpResponse<String> out = get(issuer.issuer() + "/protocol/openid-connect/logout?id_token_hint=" + body.get("id_token")
                + "&post_logout_redirect_uri=" + java.net.URLEncoder.encode("http://localhost:8080/console/", StandardCharsets.UTF_8)
                + "&state=bye");
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location")).hasValue("http://localhost:8080/console/?state=bye");
        assertThat(JSONObjectUtils.parse(post("grant_type=refresh_token&client_id=" + APP + "&refresh_token=" + next, null).body()))
                .containsEntry("error", "invalid_grant");
    }

    @Test
    void aConsumersIdNumberIsInTheAccessTokenOnlyAsTheMapperSays() throws Exception {
        Pkce pkce = Pkce.fresh();
        HttpResponse<String> tokens = exchange(code(login(get(authorizeUrl(CALLBACK, pkce)).body(), "consumer", "sandbox-demo")),
                pkce.verifier());
        JWTClaimsSet access = verified(tokens);
        assertThat(access.getJSONObjectClaim("realm_access")).isEqualTo(Map.of("roles", java.util.List.of("consumer")));
        assertThat(access.getStringClaim("id_number")).isEqualTo("410102199003070027");
        assertThat(access.getClaim("enterprise_id")).isNull();
        // the mapper puts it in the access token only (id.token.claim false): the id token has no ID number
        JWTClaimsSet id = SignedJWT.parse((String) JSONObjectUtils.parse(tokens.body()).get("id_token")).getJWTClaimsSet();
        assertThat(id.getClaims()).doesNotContainKey("id_number");
        assertThat(id.getStringClaim("preferred_username")).isEqualTo("consumer");
    }

    @Test
    void aCodeNeedsItsVerifierAndARequestNeedsPkceAndARegisteredRedirect() throws Exception {
        Pkce pkce = Pkce.fresh();
        String code = code(login(get(authorizeUrl(CALLBACK, pkce)).body(), "enterprise-a", "sandbox-demo"));
        HttpResponse<String> mismatch = exchange(code, Pkce.fresh().verifier());
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(JSONObjectUtils.parse(mismatch.body())).containsEntry("error", "invalid_grant");

        // no PKCE: back to the client with an error
        HttpResponse<String> noPkce = get(authorizeUrl(CALLBACK, null));
        assertThat(noPkce.statusCode()).isEqualTo(302);
        assertThat(noPkce.headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK + "?error=invalid_request");
        // an unregistered redirect URI is never redirected to
        HttpResponse<String> elsewhere = get(authorizeUrl("https://attacker.example/cb", pkce));
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.headers().firstValue("Location")).isEmpty();
        assertThat(elsewhere.body()).contains("Invalid parameter: redirect_uri");
        // a client without the standard flow cannot start one
        HttpResponse<String> service = get(authorizeUrl(CALLBACK, pkce).replace("client_id=" + APP, "client_id=sw-gateway"));
        assertThat(service.statusCode()).isEqualTo(400);
        // a stale or forged log-in form
        HttpResponse<String> forged = login("name=\"session_code\" value=\"forged\"", "enterprise-a", "sandbox-demo");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void aBrowserAppOfARegisteredOriginMayRedeemItsCodeAcrossOrigins() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(issuer.tokenEndpoint()))
                .header("Origin", "http://localhost:8080").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:8080");
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(issuer.tokenEndpoint()))
                .header("Origin", "https://attacker.example").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void discoveryNamesTheLogInAndLogOutEndpoints() throws Exception {
        Map<String, Object> json = JSONObjectUtils.parse(get(issuer.issuer() + "/.well-known/openid-configuration").body());
        assertThat(json).containsEntry("authorization_endpoint", issuer.issuer() + "/protocol/openid-connect/auth")
                .containsEntry("end_session_endpoint", issuer.issuer() + "/protocol/openid-connect/logout");
        assertThat(json.get("code_challenge_methods_supported")).isEqualTo(java.util.List.of("S256"));
    }
}

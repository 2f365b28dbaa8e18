package org.singlewindow.gateway;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway alone, trusting the embedded issuer, with no service behind it: authentication is
 * decided before routing, and an enterprise's quota is counted — in memory, or in the Redis on
 * 127.0.0.1:6379 with {@code -Dsw.it.infra=real}.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "sw.gateway.rate-limit.window=60s",
                "sw.gateway.rate-limit.overrides.4101960099=3",
                "sw.gateway.anonymous-limit.requests=15", "sw.gateway.anonymous-limit.window=3s",
                // 127.0.0.1 stands for a trusted proxy (an ingress); 127.1.x.y are clients connecting directly
                "spring.cloud.gateway.server.webflux.trusted-proxies=127\\.0\\.0\\.1"})
class GatewaySecurityIT {

    private static final boolean REAL = "real".equalsIgnoreCase(System.getProperty("sw.it.infra", "embedded"));
    private static final Tokens tokens = new Tokens(TestInfrastructure.issuer().issuer());
    private static final String NOWHERE = "http://127.0.0.1:" + FreePort.find();
    private static final RSASSASigner ATTACKER;

    static {
        try {
            ATTACKER = new RSASSASigner(new RSAKeyGenerator(2048).generate());
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sw.security.issuer-uri", () -> TestInfrastructure.issuer().issuer());
        for (String service : List.of("declaration", "customs", "inspection", "tax", "forex", "logistics")) {
            registry.add("sw.services." + service, () -> NOWHERE);
        }
        if (REAL) {
            registry.add("sw.gateway.rate-limit.store", () -> "redis");
            registry.add("spring.data.redis.host", () -> "127.0.0.1");
            // a key space of this run only: the window counters of earlier runs do not count
            registry.add("spring.data.redis.database", () -> "3");
        }
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String token, String forwardedFor) throws Exception {
        return send(path, token, forwardedFor);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return send(path, token, null);
    }

    private HttpResponse<String> send(String path, String token, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET()
                // an answer that never comes fails the test instead of holding CI until its limit
                .timeout(java.time.Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutAValidTokenNothingIsRouted() throws Exception {
        HttpResponse<String> none = get("/api/v1/declarations", null);
        HttpResponse<String> garbage = get("/api/v1/declarations", "garbage");
        HttpResponse<String> foreign = get("/api/v1/declarations", tokens.password("sw-foreign-app", "enterprise-a", Tokens.DEMO_PASSWORD));

        for (HttpResponse<String> response : List.of(none, garbage, foreign)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        }
        assertThat(foreign.headers().firstValue("WWW-Authenticate")).get().asString().contains("audience");
    }

    @Test
    void aValidTokenIsRoutedAndTheAbsentServiceAnswersAsAProblem() throws Exception {
        HttpResponse<String> response = get("/api/v1/declarations", tokens.user("enterprise-a"));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void anAddressWhoseTokensKeepFailingIsAnswered429ButAValidTokenFromItPasses() throws Exception {
        // tokens signed by an unknown key, each naming a made-up key id: 401 until the address has failed
        // 15 times in the window, then 429 (an address of its own, forwarded by the trusted proxy, so that no
        // other test's failures count)
        String address = "198.51.100.77";
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            statuses.add(get("/api/v1/declarations", forged(), address).statusCode());
        }
        assertThat(statuses.subList(0, 15)).containsOnly(401);
        assertThat(statuses.subList(15, 30)).containsOnly(429);
        // nobody is locked out by others' failures from the same address: a token that verifies is routed
        assertThat(get("/api/v1/declarations", tokens.user("enterprise-a"), address).statusCode()).isEqualTo(503);
        assertThat(get("/api/v1/declarations", null, address).statusCode()).isEqualTo(429);
        // the window passes: the address's failures are answered 401 again
        Thread.sleep(3_500);
        assertThat(get("/api/v1/declarations", forged(), address).statusCode()).isEqualTo(401);
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnLimitAndOthersCannotChooseOne() throws Exception {
        // through the trusted proxy (127.0.0.1), the client is the address it forwards: one client's failures
        // limit that client only
        for (int i = 0; i < 15; i++) {
            assertThat(get("/api/v1/declarations", forged(), "198.51.100.1").statusCode()).isEqualTo(401);
        }
        assertThat(get("/api/v1/declarations", forged(), "198.51.100.1").statusCode()).isEqualTo(429);
        assertThat(get("/api/v1/declarations", forged(), "198.51.100.2").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/declarations", forged(), "203.0.113.9, 198.51.100.1").statusCode())
                .as("an address a client wrote in front of what the proxy saw is not believed").isEqualTo(429);
        assertThat(get("/api/v1/declarations", tokens.user("enterprise-a"), "198.51.100.1").statusCode()).isEqualTo(503);

        // a client that is not a trusted proxy cannot name another address: its own is counted
        HttpClient direct = HttpClient.newBuilder().localAddress(java.net.InetAddress.getByName("127.1.255.1")).build();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            statuses.add(direct.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/declarations"))
                    .header("Authorization", "Bearer " + forged()).header("X-Forwarded-For", "192.0.2." + i)
                    .timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        assertThat(statuses.subList(0, 15)).containsOnly(401);
        assertThat(statuses.get(15)).isEqualTo(429);
    }

    /** A token signed by an unknown key under a made-up key id. */
    private static String forged() throws Exception {
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(UUID.randomUUID().toString()).build(),
                new JWTClaimsSet.Builder().issuer(TestInfrastructure.issuer().issuer()).subject("mallory")
                        .audience("single-window").expirationTime(new Date(System.currentTimeMillis() + 300_000)).build());
        forged.sign(ATTACKER);
        return forged.serialize();
    }

    @Test
    void everyRequestOnAKeepAliveConnectionIsAnsweredHoweverFastTheNextOneFollows() throws Exception {
        // From each of many loopback addresses (each its own count of failures), one client on one kept-alive
        // connection sends the next request the moment the previous answer arrives, alternating a token signed by
        // an unknown key (checked off the event loop) and no token at all (answered on it): 401 until the address
        // is limited, then 429. Reactor Netty 1.3 could queue such a request behind the previous one's unfinished
        // bookkeeping and not read it until the client hung up (reactor/reactor-netty#4361): before KeepAliveReads,
        // a request here went unanswered within the first hundred addresses.
        java.util.Map<Integer, Integer> answers = new java.util.TreeMap<>();
        int addresses = 200;
        for (int a = 0; a < addresses; a++) {
            java.net.InetAddress from = java.net.InetAddress.getByAddress(new byte[] {127, 1, (byte) (a / 250), (byte) (1 + a % 250)});
            HttpClient client = HttpClient.newBuilder().localAddress(from).build();
            for (int i = 0; i < 18; i++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/declarations"))
                        .timeout(java.time.Duration.ofSeconds(10));
                if (i % 2 == 0) {
                    request.header("Authorization", "Bearer " + forged());
                }
                answers.merge(client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode(), 1, Integer::sum);
            }
        }
        // every request answered, as 401 or 429 (an address's window may pass on a slow machine, so its last
        // answers may be 401 again), and the addresses were limited: a 429 followed a 401 each time
        assertThat(answers.keySet()).containsOnly(401, 429);
        assertThat(answers.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(18 * addresses);
        assertThat(answers.get(429)).isGreaterThanOrEqualTo(addresses);
    }

    @Test
    void theFallbackIsOnlyReachedThroughARoutesCircuitBreaker() throws Exception {
        // from outside, with or without a token, for a service of ours or any made-up name: not found, never a 503
        for (String path : List.of("/fallback/declaration", "/fallback/" + UUID.randomUUID(), "/fallback/%3Cscript%3E")) {
            for (String token : java.util.Arrays.asList(null, tokens.user("enterprise-a"))) {
                HttpResponse<String> response = get(path, token);
                assertThat(response.statusCode()).as(path).isIn(400, 404);
                assertThat(response.statusCode()).as(path).isNotEqualTo(503);
            }
        }
        // through the route, the breaker's fallback answers as before
        assertThat(get("/api/v1/declarations", tokens.user("enterprise-a")).statusCode()).isEqualTo(503);
    }

    @Test
    void anEnterpriseOverItsQuotaGets429WithRetryAfterWhileOthersPass() throws Exception {
        String b = tokens.user("enterprise-b");
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> limited = null;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = get("/api/v1/declarations?n=" + UUID.randomUUID(), b);
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                limited = response;
            }
        }
        // 3 per 60 s window: a burst of 10 crosses at most one window boundary
        assertThat(statuses.stream().filter(s -> s == 429).count()).isGreaterThanOrEqualTo(4);
        assertThat(statuses).allSatisfy(s -> assertThat(s).isIn(503, 429));
        assertThat(limited).isNotNull();
        assertThat(limited.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(limited.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        assertThat(get("/api/v1/declarations", tokens.user("enterprise-a")).statusCode()).isEqualTo(503);
    }
}

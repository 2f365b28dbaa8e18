package org.singlewindow.kit.security;

import org.singlewindow.identity.IdentityProperties;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Finding 5 of the security review: tokens with made-up key ids do not make a service fetch the realm's keys each time. */
class RealmKeysTest {

    private static final String ISSUER = "http://127.0.0.1/realms/single-window";

    private final AtomicInteger fetches = new AtomicInteger();
    private HttpServer realm;

    private String serve(JWKSet keys) throws Exception {
        realm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        realm.createContext("/certs", exchange -> {
            fetches.incrementAndGet();
            byte[] body = keys.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        realm.start();
        return "http://127.0.0.1:" + realm.getAddress().getPort() + "/certs";
    }

    @AfterEach
    void stop() {
        if (realm != null) {
            realm.stop(0);
        }
    }

    private static String token(RSAKey key, String kid) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), new JWTClaimsSet.Builder()
                .issuer(ISSUER).subject("s").audience("single-window").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).claim("realm_access", Map.of("roles", List.of("enterprise"))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static JwtDecoder decoder(String jwks) {
        return new KitSecurityAutoConfiguration().jwtDecoder(
                new IdentityProperties(ISSUER, jwks, "single-window", Duration.ofSeconds(5), null, Duration.ofSeconds(30)));
    }

    @Test
    void aFloodOfUnknownKeyIdsFetchesTheKeysOncePerIntervalAndIsRefused() throws Exception {
        RSAKey realmKey = new RSAKeyGenerator(2048).keyID("realm-key").generate();
        JwtDecoder decoder = decoder(serve(new JWKSet(realmKey.toPublicJWK())));

        assertThat(decoder.decode(token(realmKey, "realm-key")).getSubject()).isEqualTo("s");
        RSAKey attacker = new RSAKeyGenerator(2048).generate();
        for (int i = 0; i < 100; i++) {
            String forged = token(attacker, UUID.randomUUID().toString());
            assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(BadJwtException.class);
        }
        // the first fetch, and at most the refetches the rate limit lets through in one interval
        assertThat(fetches.get()).isBetween(1, 3);
        assertThat(decoder.decode(token(realmKey, "realm-key")).getSubject()).isEqualTo("s");
    }

    @Test
    void keysThatCannotBeFetchedAreUnavailableNotABadToken() throws Exception {
        RSAKey realmKey = new RSAKeyGenerator(2048).keyID("realm-key").generate();
        JwtDecoder decoder = decoder("http://127.0.0.1:9/certs");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> decoder.decode(token(realmKey, "realm-key")))
                    .isInstanceOf(JwtException.class).isNotInstanceOf(BadJwtException.class);
        }
    }
}

package org.singlewindow.infra.embedded;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Gets access tokens from a realm's token endpoint — Keycloak's or the embedded issuer's, which share
 * the path {@code {issuer}/protocol/openid-connect/token}. For tests, the sandbox and scripts.
 */
public final class Tokens {

    /** The realm's demo password (local use only; see infra/keycloak/README.md). */
    public static final String DEMO_PASSWORD = "sandbox-demo";
    /** The public client for people and scripts. */
    public static final String APP_CLIENT = "single-window-app";

    private record Held(String token, long fetchedAt) {
    }

    private final URI tokenEndpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Held> held = new java.util.concurrent.ConcurrentHashMap<>();

    public Tokens(String issuer) {
        this.tokenEndpoint = URI.create(issuer + "/protocol/openid-connect/token");
    }

    /** A demo user's token through the public app client (password grant). */
    public String user(String username) {
        return password(APP_CLIENT, username, DEMO_PASSWORD);
    }

    /**
     * A demo user's token, reused for up to a minute (tokens live five minutes in the realm), for
     * long-running tests and tools. One caller fetches while the others wait for it: a crowd of clients
     * whose token expired together would otherwise ask the issuer all at once.
     */
    public synchronized String fresh(String username) {
        long now = System.nanoTime();
        Held current = held.get(username);
        if (current == null || now - current.fetchedAt() > Duration.ofMinutes(1).toNanos()) {
            current = new Held(user(username), now);
            held.put(username, current);
        }
        return current.token();
    }

    public String password(String clientId, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        form.put("username", username);
        form.put("password", password);
        return token(form);
    }

    /** A confidential client's own token (client credentials). */
    public String client(String clientId, String secret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", secret);
        return token(form);
    }

    private String token(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenEndpoint)
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token endpoint " + tokenEndpoint + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return (String) JSONObjectUtils.parse(response.body()).get("access_token");
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot get a token from " + tokenEndpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

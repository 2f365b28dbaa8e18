package org.singlewindow.infra.embedded;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The sandbox's OAuth2/OIDC issuer: loads the realm file that Keycloak imports
 * ({@code infra/keycloak/single-window-realm.json}) and serves Keycloak's paths for it, so a client
 * differs between sandbox and production only in the base URL:
 * <ul>
 *   <li>{@code /realms/{realm}/.well-known/openid-configuration} (discovery),</li>
 *   <li>{@code /realms/{realm}/protocol/openid-connect/certs} (JWKS),</li>
 *   <li>{@code /realms/{realm}/protocol/openid-connect/token} — the {@code password} grant for clients
 *   with direct access grants (demo users), {@code client_credentials} for confidential clients with
 *   a service account (service-to-service), {@code authorization_code} (PKCE S256 required) and
 *   {@code refresh_token} (single-use, rotated, ending with the session);</li>
 *   <li>{@code /realms/{realm}/protocol/openid-connect/auth} — the log-in page of the authorization code
 *   flow, for clients with the standard flow and the redirect URIs the realm file registers;</li>
 *   <li>{@code /realms/{realm}/protocol/openid-connect/logout} — ends the session of an {@code id_token_hint}
 *   and returns to a registered {@code post_logout_redirect_uri}.</li>
 * </ul>
 * Access tokens are RS256 JWTs shaped like Keycloak's: {@code iss}, {@code sub}, {@code aud} from the
 * client's audience mappers, {@code azp}, {@code realm_access.roles}, user attributes from the client's
 * attribute mappers (such as {@code enterprise_id}; in the id token too unless the mapper's {@code id.token.claim}
 * is {@code false}, as for {@code id_number}), lifespan from the client's
 * {@code access.token.lifespan} or the realm's {@code accessTokenLifespan}. Passwords are compared as the
 * realm file holds them (demo users only). The signing key is made fresh at every start.
 *
 * <p>Why not Spring Authorization Server: it no longer offers the password grant that the demo users
 * need, and as a second Spring context inside every service's test JVM its auto-configuration would
 * meet the service's own. This class is small, speaks the same protocol, and signs with Nimbus JOSE,
 * the library Spring Security itself verifies with.
 */
public final class EmbeddedIssuer implements AutoCloseable {

    /** The realm file on the classpath (copied from {@code infra/keycloak} at build time). */
    public static final String REALM_RESOURCE = "keycloak/single-window-realm.json";

    private record User(String username, String password, boolean enabled, boolean profileComplete,
                        List<String> roles, Map<String, String> attributes, String serviceAccountOf) {
    }

    /**
     * The realm's user profile (as the realm file declares it): a person's first and last name, when
     * given, are at most 255 characters and free of these ({@code person-name-prohibited-characters});
     * Keycloak gives a user whose profile breaks it no token by the password grant ("Account is not
     * fully set up"), and so does this issuer.
     */
    private static final Pattern PERSON_NAME = Pattern.compile("[^<>&\"\\v$%!#?§;*~/\\\\|^=\\[\\]{}()\\p{Cntrl}]{1,255}");

    private record Client(String clientId, boolean publicClient, String secret, boolean directAccess,
                          boolean serviceAccount, Integer lifespan, List<String> audiences,
                          Map<String, String> attributeClaims, Map<String, String> idTokenAttributeClaims,
                          boolean standardFlow, List<String> redirectUris, List<String> postLogoutRedirectUris) {

        /** Keycloak's matching: the URI as registered, or one starting with a registered URI's part before a final {@code *}. */
        boolean redirectsTo(String uri, List<String> registered) {
            if (uri == null) {
                return false;
            }
            for (String r : registered) {
                if (r.endsWith("*") ? uri.startsWith(r.substring(0, r.length() - 1)) : r.equals(uri)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A log-in under way: what the authorization request asked for, until the user has given a password. */
    private record Pending(String clientId, String redirectUri, String state, String challenge, String nonce, String scope,
                           Instant expires) {
    }

    /** An authorization code, once: for this client, redirect URI and PKCE challenge. */
    private record Code(String clientId, String redirectUri, String username, String challenge, String nonce, String scope,
                        String sessionId, Instant authTime, Instant expires) {
    }

    /** A refresh token: the realm session it belongs to ends at log-out. */
    private record Refresh(String clientId, String username, String sessionId, String scope, Instant authTime, Instant expires) {
    }

    private static final java.time.Duration LOGIN_TIMEOUT = java.time.Duration.ofMinutes(10);
    private static final java.time.Duration CODE_LIFESPAN = java.time.Duration.ofSeconds(60);

    private final String realm;
    private final int realmLifespan;
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, Client> clients = new HashMap<>();
    private final int sessionIdle;
    private final Map<String, Pending> pending = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Code> codes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Refresh> refreshTokens = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    private final RSAKey key;
    private final HttpServer server;
    private final String issuer;

    private EmbeddedIssuer(String realmJson, String host, int port) {
        try {
            Map<String, Object> realmFile = JSONObjectUtils.parse(realmJson);
            realm = (String) realmFile.get("realm");
            realmLifespan = number(realmFile.get("accessTokenLifespan"), 300);
            sessionIdle = number(realmFile.get("ssoSessionIdleTimeout"), 1800);
            for (Object u : list(realmFile.get("users"))) {
                User user = user(map(u));
                users.put(user.username(), user);
            }
            for (Object c : list(realmFile.get("clients"))) {
                Client client = client(map(c));
                clients.put(client.clientId(), client);
            }
            key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString()).generate();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 64);
        } catch (ParseException e) {
            throw new IllegalArgumentException("the realm file is not valid JSON: " + e.getMessage(), e);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make a signing key", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
        issuer = "http://" + host + ":" + server.getAddress().getPort() + "/realms/" + realm;
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "embedded-issuer");
            thread.setDaemon(true);
            return thread;
        }));
        String base = "/realms/" + realm;
        server.createContext(base + "/.well-known/openid-configuration", exchange -> respond(exchange, () -> discovery()));
        server.createContext(base + "/protocol/openid-connect/certs",
                exchange -> respond(exchange, () -> new Answer(200, new JWKSet(key.toPublicJWK()).toJSONObject())));
        server.createContext(base + "/protocol/openid-connect/token", exchange -> {
            // a browser app (Swagger UI) redeems its code from another origin: CORS for the clients' own origins
            if (cors(exchange)) {
                return;
            }
            respond(exchange, () -> token(exchange));
        });
        server.createContext(base + "/protocol/openid-connect/auth", this::authorize);
        server.createContext(base + "/protocol/openid-connect/logout", this::logout);
        server.start();
    }

    /** Start on 127.0.0.1 (port 0: any free port) with the realm file from the classpath. */
    public static EmbeddedIssuer start(int port) {
        try (InputStream in = EmbeddedIssuer.class.getClassLoader().getResourceAsStream(REALM_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(REALM_RESOURCE + " is not on the classpath");
            }
            return new EmbeddedIssuer(new String(in.readAllBytes(), StandardCharsets.UTF_8), "127.0.0.1", port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Start on 127.0.0.1 with the given realm JSON. */
    public static EmbeddedIssuer start(int port, String realmJson) {
        return new EmbeddedIssuer(realmJson, "127.0.0.1", port);
    }

    /** The {@code iss} of every token, e.g. {@code http://127.0.0.1:8180/realms/single-window}. */
    public String issuer() {
        return issuer;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String tokenEndpoint() {
        return issuer + "/protocol/openid-connect/token";
    }

    public String jwksUri() {
        return issuer + "/protocol/openid-connect/certs";
    }

    /**
     * Sign arbitrary claims with this issuer's key — for tests that need a correctly signed token
     * with something else wrong (issuer, audience). Not reachable over HTTP.
     */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    // --- endpoints ---------------------------------------------------------------------------

    private record Answer(int status, Map<String, Object> body) {
    }

    private static final class OAuthError extends RuntimeException {
        private final int status;
        private final String error;

        OAuthError(int status, String error, String description) {
            super(description);
            this.status = status;
            this.error = error;
        }
    }

    private interface Handler {
        Answer handle() throws IOException;
    }

    private static void respond(HttpExchange exchange, Handler handler) throws IOException {
        Answer answer;
        try {
            answer = handler.handle();
        } catch (OAuthError e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.error);
            body.put("error_description", e.getMessage());
            answer = new Answer(e.status, body);
        } catch (RuntimeException e) {
            answer = new Answer(500, Map.of("error", "server_error", "error_description", String.valueOf(e.getMessage())));
        }
        byte[] bytes = JSONObjectUtils.toJSONString(answer.body()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Answer discovery() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("token_endpoint", tokenEndpoint());
        doc.put("jwks_uri", jwksUri());
        doc.put("authorization_endpoint", issuer + "/protocol/openid-connect/auth");
        doc.put("end_session_endpoint", issuer + "/protocol/openid-connect/logout");
        doc.put("grant_types_supported", List.of("authorization_code", "refresh_token", "password", "client_credentials"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("response_types_supported", List.of("code"));
        doc.put("response_modes_supported", List.of("query"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("scopes_supported", List.of("openid", "profile", "email"));
        return new Answer(200, doc);
    }

    private Answer token(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            throw new OAuthError(405, "invalid_request", "the token endpoint takes POST");
        }
        String contentType = Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Content-Type"), "");
        if (!contentType.startsWith("application/x-www-form-urlencoded")) {
            throw new OAuthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
        }
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Client client = authenticateClient(exchange.getRequestHeaders().getFirst("Authorization"), form);
        String grant = Objects.requireNonNullElse(form.get("grant_type"), "");
        return switch (grant) {
            case "password" -> {
                if (!client.directAccess()) {
                    throw new OAuthError(400, "unauthorized_client", "Client not allowed for direct access grants");
                }
                User user = users.get(Objects.requireNonNullElse(form.get("username"), ""));
                if (user == null || user.serviceAccountOf() != null || !user.enabled() || user.password() == null
                        || !constantTimeEquals(user.password(), form.get("password"))) {
                    throw new OAuthError(401, "invalid_grant", "Invalid user credentials");
                }
                if (!user.profileComplete()) {
                    throw new OAuthError(400, "invalid_grant", "Account is not fully set up");
                }
                yield issue(client, user);
            }
            case "client_credentials" -> {
                if (client.publicClient() || !client.serviceAccount()) {
                    throw new OAuthError(401, "unauthorized_client", "Client not enabled to retrieve service account");
                }
                User account = users.values().stream()
                        .filter(u -> client.clientId().equals(u.serviceAccountOf())).findFirst()
                        .orElse(new User("service-account-" + client.clientId(), null, true, true, List.of(), Map.of(),
                                client.clientId()));
                yield issue(client, account);
            }
            case "authorization_code" -> {
                String given = Objects.requireNonNullElse(form.get("code"), "");
                Code code = codes.remove(given);
                if (code == null || code.expires().isBefore(Instant.now())) {
                    throw new OAuthError(400, "invalid_grant", "Code not valid");
                }
                if (!code.clientId().equals(client.clientId())) {
                    throw new OAuthError(400, "invalid_grant", "Code was issued to another client");
                }
                if (!code.redirectUri().equals(form.get("redirect_uri"))) {
                    throw new OAuthError(400, "invalid_grant", "Incorrect redirect_uri");
                }
                String verifier = form.get("code_verifier");
                if (verifier == null || !verifier.matches("[A-Za-z0-9._~-]{43,128}")) {
                    throw new OAuthError(400, "invalid_grant", "PKCE code verifier not specified or malformed");
                }
                if (!constantTimeEquals(code.challenge(), s256(verifier))) {
                    throw new OAuthError(400, "invalid_grant", "PKCE verification failed: Code mismatch");
                }
                User user = users.get(code.username());
                if (user == null || !user.enabled()) {
                    throw new OAuthError(400, "invalid_grant", "User disabled");
                }
                yield session(client, user, code.sessionId(), code.scope(), code.nonce(), code.authTime());
            }
            case "refresh_token" -> {
                Refresh refresh = refreshTokens.remove(Objects.requireNonNullElse(form.get("refresh_token"), ""));
                if (refresh == null || refresh.expires().isBefore(Instant.now()) || !refresh.clientId().equals(client.clientId())) {
                    throw new OAuthError(400, "invalid_grant", "Invalid refresh token");
                }
                User user = users.get(refresh.username());
                if (user == null || !user.enabled()) {
                    throw new OAuthError(400, "invalid_grant", "User disabled");
                }
                yield session(client, user, refresh.sessionId(), refresh.scope(), null, refresh.authTime());
            }
            case "" -> throw new OAuthError(400, "invalid_request", "Missing form parameter: grant_type");
            default -> throw new OAuthError(400, "unsupported_grant_type", "Unsupported grant_type");
        };
    }

    private Client authenticateClient(String authorization, Map<String, String> form) {
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new OAuthError(401, "invalid_client", "Invalid client credentials");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new OAuthError(401, "invalid_client", "Invalid client credentials");
            }
            clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        }
        if (clientId == null) {
            throw new OAuthError(401, "invalid_client", "Missing parameter: client_id");
        }
        Client client = clients.get(clientId);
        if (client == null) {
            throw new OAuthError(401, "invalid_client", "Invalid client or Invalid client credentials");
        }
        if (!client.publicClient() && (client.secret() == null || !constantTimeEquals(client.secret(), secret))) {
            throw new OAuthError(401, "unauthorized_client", "Invalid client or Invalid client credentials");
        }
        return client;
    }

    /**
     * The tokens of a realm session (the authorization code and refresh grants): the access token with the
     * session's {@code sid}, an OIDC id token when {@code openid} was asked for, and a refresh token that is
     * single-use (each refresh rotates it) and ends with the session at log-out.
     */
    private Answer session(Client client, User user, String sessionId, String scope, String nonce, Instant authTime) {
        Answer access = issue(client, user, sessionId, scope);
        Map<String, Object> body = new LinkedHashMap<>(access.body());
        String refresh = randomToken();
        refreshTokens.put(refresh, new Refresh(client.clientId(), user.username(), sessionId, scope, authTime,
                Instant.now().plusSeconds(sessionIdle)));
        body.put("refresh_token", refresh);
        body.put("refresh_expires_in", sessionIdle);
        body.put("session_state", sessionId);
        if (List.of(scope.split(" ")).contains("openid")) {
            Instant now = Instant.now();
            JWTClaimsSet.Builder id = new JWTClaimsSet.Builder().issuer(issuer).subject(subject(user))
                    .audience(client.clientId()).issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(((Number) access.body().get("expires_in")).longValue())))
                    .jwtID(UUID.randomUUID().toString()).claim("typ", "ID").claim("azp", client.clientId())
                    .claim("sid", sessionId).claim("auth_time", authTime.getEpochSecond())
                    .claim("preferred_username", user.username());
            if (nonce != null) {
                id.claim("nonce", nonce);
            }
            client.idTokenAttributeClaims().forEach((attribute, claim) -> {
                String value = user.attributes().get(attribute);
                if (value != null) {
                    id.claim(claim, value);
                }
            });
            body.put("id_token", sign(id.build()));
        }
        return new Answer(200, body);
    }

    private String subject(User user) {
        return UUID.nameUUIDFromBytes((realm + "/" + user.username()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private Answer issue(Client client, User user) {
        return issue(client, user, null, "profile email");
    }

    private Answer issue(Client client, User user, String sessionId, String scope) {
        Instant now = Instant.now();
        int lifespan = client.lifespan() != null ? client.lifespan() : realmLifespan;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject(user))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(lifespan)))
                .jwtID(UUID.randomUUID().toString())
                .claim("typ", "Bearer")
                .claim("azp", client.clientId())
                .claim("preferred_username", user.username())
                .claim("realm_access", Map.of("roles", user.roles()))
                .claim("scope", scope);
        if (sessionId != null) {
            claims.claim("sid", sessionId);
        }
        if (!client.audiences().isEmpty()) {
            claims.audience(client.audiences());
        }
        if (user.serviceAccountOf() != null) {
            claims.claim("client_id", client.clientId());
        }
        client.attributeClaims().forEach((attribute, claim) -> {
            String value = user.attributes().get(attribute);
            if (value != null) {
                claims.claim(claim, value);
            }
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", sign(claims.build()));
        body.put("expires_in", lifespan);
        body.put("token_type", "Bearer");
        body.put("not-before-policy", 0);
        body.put("scope", scope);
        return new Answer(200, body);
    }

    /**
     * CORS as Keycloak's {@code webOrigins: ["+"]} allows it: an origin of a client's registered redirect URIs
     * may call the token endpoint from a browser. Answers a preflight itself ({@code true}).
     */
    private boolean cors(HttpExchange exchange) throws IOException {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        boolean allowed = origin != null && clients.values().stream().flatMap(c -> c.redirectUris().stream())
                .anyMatch(uri -> uri.startsWith(origin + "/"));
        if (allowed) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
            exchange.getResponseHeaders().set("Access-Control-Allow-Credentials", "true");
            exchange.getResponseHeaders().add("Vary", "Origin");
        }
        if ("OPTIONS".equals(exchange.getRequestMethod())) {
            if (allowed) {
                exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "POST, OPTIONS");
                exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, X-Requested-With");
                exchange.getResponseHeaders().set("Access-Control-Max-Age", "3600");
            }
            exchange.sendResponseHeaders(allowed ? 204 : 403, -1);
            exchange.close();
            return true;
        }
        return false;
    }

    // --- the authorization code flow (log-in page) and log-out --------------------------------

    /**
     * {@code GET …/auth}: an authorization request (response_type {@code code}, a registered redirect URI, a PKCE
     * S256 challenge, always) shows the log-in page; {@code POST …/auth} takes the user's name and password and
     * redirects back with a single-use code (60 s). A request naming an unknown client or an unregistered
     * redirect URI is answered here with an error page, never redirected; other errors go back to the client
     * as OAuth2 says ({@code error}, {@code state}). The page's one-time {@code session_code} ties the form to
     * its request (no log-in form can be forged across sites).
     */
    private void authorize(HttpExchange exchange) throws IOException {
        try {
            if ("POST".equals(exchange.getRequestMethod())) {
                String contentType = Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Content-Type"), "");
                if (!contentType.startsWith("application/x-www-form-urlencoded")) {
                    page(exchange, 400, "Log-in failed", "<p>The log-in form must be sent as a form.</p>");
                    return;
                }
                login(exchange, form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                return;
            }
            Map<String, String> query = form(Objects.requireNonNullElse(exchange.getRequestURI().getRawQuery(), ""));
            Client client = clients.get(Objects.requireNonNullElse(query.get("client_id"), ""));
            String redirectUri = query.get("redirect_uri");
            if (client == null || !client.standardFlow() || !client.redirectsTo(redirectUri, client.redirectUris())) {
                page(exchange, 400, "We are sorry…", "<p>" + (client == null ? "Client not found."
                        : !client.standardFlow() ? "Client is not allowed to initiate browser login."
                        : "Invalid parameter: redirect_uri") + "</p>");
                return;
            }
            String state = query.get("state");
            if (!"code".equals(query.get("response_type"))) {
                redirect(exchange, redirectUri, Map.of("error", "unsupported_response_type",
                        "error_description", "Client is not allowed to initiate browser login with given response_type."), state);
                return;
            }
            String challenge = query.get("code_challenge");
            if (challenge == null || !challenge.matches("[A-Za-z0-9_-]{43}") || !"S256".equals(query.get("code_challenge_method"))) {
                redirect(exchange, redirectUri, Map.of("error", "invalid_request",
                        "error_description", "Missing parameter: code_challenge_method S256 and its code_challenge (PKCE)"), state);
                return;
            }
            String sessionCode = randomToken();
            pending.values().removeIf(p -> p.expires().isBefore(Instant.now()));
            pending.put(sessionCode, new Pending(client.clientId(), redirectUri, state, challenge, query.get("nonce"),
                    Objects.requireNonNullElse(query.get("scope"), "openid"), Instant.now().plus(LOGIN_TIMEOUT)));
            loginPage(exchange, 200, sessionCode, query.get("login_hint"), null);
        } catch (RuntimeException e) {
            page(exchange, 500, "Error", "<p>" + html(String.valueOf(e.getMessage())) + "</p>");
        }
    }

    private void login(HttpExchange exchange, Map<String, String> form) throws IOException {
        String sessionCode = Objects.requireNonNullElse(form.get("session_code"), "");
        Pending request = pending.get(sessionCode);
        if (request == null || request.expires().isBefore(Instant.now())) {
            page(exchange, 400, "Your login attempt timed out.", "<p>Log-in timeout. Please sign in again from the application.</p>");
            return;
        }
        String username = Objects.requireNonNullElse(form.get("username"), "");
        User user = users.get(username);
        if (user == null || user.serviceAccountOf() != null || !user.enabled() || user.password() == null
                || !constantTimeEquals(user.password(), form.get("password"))) {
            loginPage(exchange, 200, sessionCode, username, "Invalid username or password. / 用户名或密码错误。");
            return;
        }
        if (!user.profileComplete()) {
            loginPage(exchange, 200, sessionCode, username, "Account is not fully set up. / 账户资料不完整。");
            return;
        }
        pending.remove(sessionCode);
        String code = randomToken();
        codes.values().removeIf(c -> c.expires().isBefore(Instant.now()));
        Instant now = Instant.now();
        codes.put(code, new Code(request.clientId(), request.redirectUri(), user.username(), request.challenge(), request.nonce(),
                request.scope(), UUID.randomUUID().toString(), now, now.plus(CODE_LIFESPAN)));
        redirect(exchange, request.redirectUri(), Map.of("code", code), request.state());
    }

    /**
     * {@code …/logout}: ends the realm session named by {@code id_token_hint} (its refresh tokens stop working)
     * and goes to {@code post_logout_redirect_uri} when the client registered it, else shows that the user is
     * logged out.
     */
    private void logout(HttpExchange exchange) throws IOException {
        try {
            String raw = "POST".equals(exchange.getRequestMethod())
                    ? new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    : Objects.requireNonNullElse(exchange.getRequestURI().getRawQuery(), "");
            Map<String, String> query = form(raw);
            String hint = query.get("id_token_hint");
            String clientId = query.get("client_id");
            if (hint != null) {
                SignedJWT token;
                try {
                    token = SignedJWT.parse(hint);
                } catch (ParseException e) {
                    page(exchange, 400, "We are sorry…", "<p>Invalid parameter: id_token_hint</p>");
                    return;
                }
                if (!token.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(key.toRSAPublicKey()))
                        || !issuer.equals(token.getJWTClaimsSet().getIssuer())) {
                    page(exchange, 400, "We are sorry…", "<p>Invalid parameter: id_token_hint</p>");
                    return;
                }
                String sid = token.getJWTClaimsSet().getStringClaim("sid");
                refreshTokens.values().removeIf(r -> r.sessionId().equals(sid));
                clientId = Objects.requireNonNullElse(clientId, token.getJWTClaimsSet().getStringClaim("azp"));
            }
            String target = query.get("post_logout_redirect_uri");
            Client client = clientId == null ? null : clients.get(clientId);
            if (target != null && client != null && client.redirectsTo(target, client.postLogoutRedirectUris())) {
                redirect(exchange, target, Map.of(), query.get("state"));
                return;
            }
            if (target != null) {
                page(exchange, 400, "We are sorry…", "<p>Invalid redirect uri</p>");
                return;
            }
            page(exchange, 200, "You are logged out / 您已退出", "<p>You are logged out. / 您已退出登录。</p>");
        } catch (JOSEException | ParseException e) {
            page(exchange, 400, "We are sorry…", "<p>Invalid parameter: id_token_hint</p>");
        }
    }

    private void loginPage(HttpExchange exchange, int status, String sessionCode, String username, String error) throws IOException {
        String action = issuer + "/protocol/openid-connect/auth";
        page(exchange, status, "Sign in to Single Window / 登录单一窗口", (error == null ? ""
                : "<p class=\"error\" role=\"alert\" id=\"input-error\">" + html(error) + "</p>")
                + "<form id=\"kc-form-login\" method=\"post\" action=\"" + html(action) + "\">"
                + "<input type=\"hidden\" name=\"session_code\" value=\"" + html(sessionCode) + "\">"
                + "<p><label for=\"username\">Username / 用户名</label><br>"
                + "<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" autofocus required value=\""
                + html(Objects.requireNonNullElse(username, "")) + "\"></p>"
                + "<p><label for=\"password\">Password / 密码</label><br>"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>"
                + "<p><button id=\"kc-login\" type=\"submit\">Sign in / 登录</button></p></form>"
                + "<p class=\"note\">The sandbox's embedded issuer: the demo users of the realm file.</p>");
    }

    private static void page(HttpExchange exchange, int status, String title, String body) throws IOException {
        byte[] bytes = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + html(title) + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}"
                + "input{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}button{font-size:1rem;padding:.5rem 1.5rem}"
                + ".error{color:#a00000;font-weight:600}.note{color:#555;font-size:.85rem}</style></head>"
                + "<body><main><h1>" + html(title) + "</h1>" + body + "</main></body></html>").getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "text/html; charset=utf-8");
        headers.set("Cache-Control", "no-store");
        headers.set("X-Frame-Options", "DENY");
        // no form-action: the log-in form's answer redirects to the client, on another origin
        headers.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        headers.set("Referrer-Policy", "no-referrer");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void redirect(HttpExchange exchange, String uri, Map<String, String> parameters, String state) throws IOException {
        StringBuilder location = new StringBuilder(uri);
        Map<String, String> all = new LinkedHashMap<>();
        // error (or code) first, as Keycloak writes them
        parameters.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> all.put(e.getKey(), e.getValue()));
        if (state != null) {
            all.put("state", state);
        }
        char separator = uri.contains("?") ? '&' : '?';
        for (var e : all.entrySet()) {
            location.append(separator).append(java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        exchange.getResponseHeaders().set("Location", location.toString());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    // --- realm file --------------------------------------------------------------------------

    private static User user(Map<String, Object> json) {
        String password = null;
        for (Object c : list(json.get("credentials"))) {
            Map<String, Object> credential = map(c);
            if ("password".equals(credential.get("type"))) {
                password = (String) credential.get("value");
            }
        }
        Map<String, String> attributes = new HashMap<>();
        map(json.get("attributes")).forEach((name, values) -> {
            List<Object> all = list(values);
            if (!all.isEmpty()) {
                attributes.put(name, String.valueOf(all.getFirst()));
            }
        });
        List<String> roles = new ArrayList<>();
        list(json.get("realmRoles")).forEach(r -> roles.add(String.valueOf(r)));
        boolean profileComplete = personName(json.get("firstName")) && personName(json.get("lastName"));
        return new User((String) json.get("username"), password, !Boolean.FALSE.equals(json.get("enabled")),
                profileComplete, List.copyOf(roles), Map.copyOf(attributes), (String) json.get("serviceAccountClientId"));
    }

    private static boolean personName(Object name) {
        return name == null || name instanceof String s && PERSON_NAME.matcher(s).matches();
    }

    private static Client client(Map<String, Object> json) {
        List<String> audiences = new ArrayList<>();
        Map<String, String> attributeClaims = new LinkedHashMap<>();
        Map<String, String> idTokenAttributeClaims = new LinkedHashMap<>();
        for (Object m : list(json.get("protocolMappers"))) {
            Map<String, Object> mapper = map(m);
            Map<String, Object> config = map(mapper.get("config"));
            if ("oidc-usermodel-attribute-mapper".equals(mapper.get("protocolMapper")) && !"false".equals(config.get("id.token.claim"))) {
                // Keycloak's default: in the id token too unless the mapper says not
                idTokenAttributeClaims.put(String.valueOf(config.get("user.attribute")), String.valueOf(config.get("claim.name")));
            }
            if ("false".equals(config.get("access.token.claim"))) {
                continue;
            }
            switch (String.valueOf(mapper.get("protocolMapper"))) {
                case "oidc-audience-mapper" -> {
                    Object audience = config.get("included.custom.audience");
                    if (audience == null) {
                        audience = config.get("included.client.audience");
                    }
                    if (audience != null) {
                        audiences.add(audience.toString());
                    }
                }
                case "oidc-usermodel-attribute-mapper" ->
                        attributeClaims.put(String.valueOf(config.get("user.attribute")), String.valueOf(config.get("claim.name")));
                default -> {
                    // other mappers are not needed by the platform
                }
            }
        }
        Map<String, Object> attributes = map(json.get("attributes"));
        Object lifespan = attributes.get("access.token.lifespan");
        List<String> redirectUris = new ArrayList<>();
        list(json.get("redirectUris")).forEach(u -> redirectUris.add(String.valueOf(u)));
        // "+" (Keycloak's default here): the same as the redirect URIs; otherwise "##"-separated
        String postLogout = String.valueOf(attributes.getOrDefault("post.logout.redirect.uris", "+"));
        List<String> postLogoutUris = "+".equals(postLogout) ? List.copyOf(redirectUris) : List.of(postLogout.split("##"));
        return new Client((String) json.get("clientId"), Boolean.TRUE.equals(json.get("publicClient")),
                (String) json.get("secret"), Boolean.TRUE.equals(json.get("directAccessGrantsEnabled")),
                Boolean.TRUE.equals(json.get("serviceAccountsEnabled")),
                lifespan == null ? null : Integer.valueOf(lifespan.toString()), List.copyOf(audiences), attributeClaims,
                idTokenAttributeClaims,
                // Keycloak's default: the standard flow is on unless the client turns it off
                !Boolean.FALSE.equals(json.get("standardFlowEnabled")), List.copyOf(redirectUris), postLogoutUris);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static int number(Object value, int fallback) {
        return value instanceof Number n ? n.intValue() : fallback;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.putIfAbsent(name, value);
        }
        return form;
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}

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
 *   with direct access grants (demo users) and {@code client_credentials} for confidential clients with
 *   a service account (service-to-service).</li>
 * </ul>
 * Access tokens are RS256 JWTs shaped like Keycloak's: {@code iss}, {@code sub}, {@code aud} from the
 * client's audience mappers, {@code azp}, {@code realm_access.roles}, user attributes from the client's
 * attribute mappers (such as {@code enterprise_id}), lifespan from the client's
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
                          Map<String, String> attributeClaims) {
    }

    private final String realm;
    private final int realmLifespan;
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, Client> clients = new HashMap<>();
    private final RSAKey key;
    private final HttpServer server;
    private final String issuer;

    private EmbeddedIssuer(String realmJson, String host, int port) {
        try {
            Map<String, Object> realmFile = JSONObjectUtils.parse(realmJson);
            realm = (String) realmFile.get("realm");
            realmLifespan = number(realmFile.get("accessTokenLifespan"), 300);
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
        server.createContext(base + "/protocol/openid-connect/token", exchange -> respond(exchange, () -> token(exchange)));
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
        doc.put("grant_types_supported", List.of("password", "client_credentials"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("response_types_supported", List.of("token"));
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

    private Answer issue(Client client, User user) {
        Instant now = Instant.now();
        int lifespan = client.lifespan() != null ? client.lifespan() : realmLifespan;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(UUID.nameUUIDFromBytes((realm + "/" + user.username()).getBytes(StandardCharsets.UTF_8)).toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(lifespan)))
                .jwtID(UUID.randomUUID().toString())
                .claim("typ", "Bearer")
                .claim("azp", client.clientId())
                .claim("preferred_username", user.username())
                .claim("realm_access", Map.of("roles", user.roles()))
                .claim("scope", "profile email");
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
        body.put("scope", "profile email");
        return new Answer(200, body);
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
        for (Object m : list(json.get("protocolMappers"))) {
            Map<String, Object> mapper = map(m);
            Map<String, Object> config = map(mapper.get("config"));
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
        Object lifespan = map(json.get("attributes")).get("access.token.lifespan");
        return new Client((String) json.get("clientId"), Boolean.TRUE.equals(json.get("publicClient")),
                (String) json.get("secret"), Boolean.TRUE.equals(json.get("directAccessGrantsEnabled")),
                Boolean.TRUE.equals(json.get("serviceAccountsEnabled")),
                lifespan == null ? null : Integer.valueOf(lifespan.toString()), List.copyOf(audiences), attributeClaims);
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

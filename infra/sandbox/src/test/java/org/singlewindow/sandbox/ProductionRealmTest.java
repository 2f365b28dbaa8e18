package org.singlewindow.sandbox;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code infra/keycloak/single-window-realm.production.json}, the realm compose and the Helm chart import, is the
 * sandbox's realm file without what only the sandbox may have — the demo people and their password,
 * the test clients ({@code sw-probe}, {@code sw-foreign-app}), the password grant, the end-to-end tests' gateway
 * as a redirect URI — and with every
 * service client's secret a Keycloak placeholder ({@code ${SW_CLIENT_SECRET_<SERVICE>}}) filled from the
 * environment at import. The Helm chart imports the same file (its placeholders rewritten for the
 * Keycloak operator: ChartTest).
 *
 * <p>After changing the sandbox's realm file, write the production one again with
 * {@code ./mvnw -pl infra/sandbox test -Dtest=ProductionRealmTest -Dsw.realm.write=true}.
 */
class ProductionRealmTest {

    private static final Path KEYCLOAK = Path.of(System.getProperty("sw.home", "../..")).toAbsolutePath().normalize()
            .resolve("infra/keycloak");
    private static final Set<String> TEST_CLIENTS = Set.of("sw-probe", "sw-foreign-app");
    private static final int E2E_GATEWAY_PORT = 18080;
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    static ObjectNode production(ObjectNode sandbox) {
        ObjectNode realm = sandbox.deepCopy();
        ArrayNode users = realm.putArray("users");
        for (JsonNode user : sandbox.get("users")) {
            // the services' service accounts stay, with their platform-service role; people go
            if (user.hasNonNull("serviceAccountClientId") && !TEST_CLIENTS.contains(user.get("serviceAccountClientId").asString())) {
                users.add(user);
            }
        }
        ArrayNode clients = realm.putArray("clients");
        for (JsonNode c : sandbox.get("clients")) {
            String id = c.get("clientId").asString();
            if (TEST_CLIENTS.contains(id)) {
                continue;
            }
            ObjectNode client = (ObjectNode) c.deepCopy();
            if (id.startsWith("sw-") && !client.path("publicClient").asBoolean()) {
                client.put("secret", "${SW_CLIENT_SECRET_" + id.substring(3).toUpperCase(Locale.ROOT) + "}");
            }
            if (client.path("directAccessGrantsEnabled").asBoolean()) {
                client.put("directAccessGrantsEnabled", false);
            }
            // the end-to-end tests' gateway (127.0.0.1:18080) is no address to log in from in production
            if (client.has("redirectUris")) {
                ArrayNode uris = client.putArray("redirectUris");
                c.get("redirectUris").forEach(uri -> {
                    if (!uri.asString().contains(":" + E2E_GATEWAY_PORT + "/")) {
                        uris.add(uri);
                    }
                });
            }
            clients.add(client);
        }
        return realm;
    }

    @Test
    void composeImportsTheSandboxRealmWithoutItsPeopleTestClientsPasswordGrantOrSecrets() throws IOException {
        ObjectNode sandbox = (ObjectNode) JSON.readTree(Files.readString(KEYCLOAK.resolve("single-window-realm.json")));
        ObjectNode expected = production(sandbox);
        Path file = KEYCLOAK.resolve("single-window-realm.production.json");
        if (Boolean.getBoolean("sw.realm.write")) {
            Files.writeString(file, JSON.writeValueAsString(expected) + "\n");
        }
        JsonNode committed = JSON.readTree(Files.readString(file));
        assertThat(committed).as("the production realm is the sandbox's, transformed: write it again (see the javadoc)")
                .isEqualTo(expected);

        String whole = committed.toString();
        assertThat(whole).doesNotContain("sandbox-").doesNotContain("\"password\"").doesNotContain("enterprise-a")
                .doesNotContain("sw-probe").doesNotContain("sw-foreign-app");
        assertThat(committed.get("users")).isNotEmpty().allSatisfy(user -> {
            assertThat(user.has("credentials")).isFalse();
            assertThat(user.get("realmRoles").toString()).contains("platform-service");
        });
        for (JsonNode client : committed.get("clients")) {
            assertThat(client.path("directAccessGrantsEnabled").asBoolean()).as(client.get("clientId").asString()).isFalse();
        }
        assertThat(committed.get("clients").findValuesAsString("secret")).isNotEmpty()
                .allMatch(secret -> secret.matches("\\$\\{SW_CLIENT_SECRET_[A-Z]+}"));
    }
}

package org.singlewindow.sandbox;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code infra/compose.yaml} as far as it can be checked without a Docker engine: every part of the
 * platform is there with a health check, nothing starts before what it needs is healthy, every file
 * it mounts exists, the images are the ones {@code ./mvnw -Pimages package} builds, and the gateway
 * routes to services that exist.
 */
class ComposeFileTest {

    private static final Path INFRA = Path.of(System.getProperty("sw.home", "../..")).toAbsolutePath().normalize().resolve("infra");
    private static final List<String> APPS = List.of("declaration", "customs", "inspection", "tax", "forex", "logistics", "gateway");

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(INFRA.resolve("compose.yaml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void everyPartIsThereWithAHealthCheck() throws IOException {
        var services = services();
        assertThat(services.keySet()).containsExactlyInAnyOrder("rabbitmq", "rabbitmq-provision", "postgres", "keycloak",
                "prometheus", "grafana", "declaration", "customs", "inspection", "tax", "forex", "logistics", "gateway", "console");
        // every long-running part has a health check; the one-shot provisioning has its exit status instead
        services.forEach((name, service) -> assertThat(service.containsKey("healthcheck") || name.equals("rabbitmq-provision"))
                .as(name + " has a health check").isTrue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void nothingStartsBeforeWhatItNeedsIsHealthy() throws IOException {
        var services = services();
        for (String app : APPS) {
            Map<String, Map<String, String>> dependsOn = (Map<String, Map<String, String>>) services.get(app).get("depends_on");
            assertThat(dependsOn).as(app).containsKey("keycloak");
            if (!app.equals("gateway")) {
                assertThat(dependsOn).as(app).containsKeys("rabbitmq-provision", "postgres");
            }
            dependsOn.forEach((on, condition) -> assertThat(condition).as(app + " on " + on)
                    .containsEntry("condition", on.equals("rabbitmq-provision") ? "service_completed_successfully" : "service_healthy"));
        }
        Map<String, Map<String, String>> gateway = (Map<String, Map<String, String>>) services.get("gateway").get("depends_on");
        assertThat(gateway).containsKeys("declaration", "customs", "inspection", "tax", "forex", "logistics");
        // the console needs the realm to log people in; it reaches the API through the gateway, not published itself
        Map<String, Object> console = services.get("console");
        assertThat((Map<String, Map<String, String>>) console.get("depends_on")).containsEntry("keycloak", Map.of("condition", "service_healthy"));
        assertThat(console).doesNotContainKey("ports");
        assertThat(console.get("image").toString()).startsWith("single-window/sw-console:");
        assertThat((Map<String, Object>) console.get("environment")).containsEntry("SW_CONSOLE_GATEWAYURL", "http://gateway:8080");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyMountedFileExistsAndTheImagesAreJibs() throws IOException {
        var services = services();
        services.forEach((name, service) -> {
            for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(INFRA.resolve(source.substring(2))).as(name + " mounts " + source).exists();
                }
            }
        });
        for (String app : APPS) {
            assertThat(services.get(app).get("image").toString()).startsWith("single-window/sw-" + app + ":");
            assertThat(services.get(app)).containsEntry("read_only", true);
        }
        assertThat(services.get("grafana").get("volumes").toString())
                .contains("./grafana/provisioning:/etc/grafana/provisioning", "./grafana/dashboards:");
        assertThat(services.get("prometheus").get("volumes").toString()).contains("./prometheus/rules:/etc/prometheus/rules");
        assertThat(services.get("keycloak").get("volumes").toString()).contains("./keycloak/single-window-realm.production.json");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGatewayRoutesToServicesThatExistAndIsTheOnlyPlatformPortOpen() throws IOException {
        var services = services();
        Map<String, Object> env = (Map<String, Object>) services.get("gateway").get("environment");
        env.forEach((key, value) -> {
            if (key.startsWith("SW_SERVICES_")) {
                String host = value.toString().replaceFirst("^http://", "").split(":")[0];
                assertThat(services).as(key).containsKey(host);
            }
        });
        assertThat(services.get("gateway").get("ports").toString()).contains("8080:8080");
        for (String app : APPS) {
            if (!app.equals("gateway")) {
                assertThat(services.get(app)).as(app + " publishes no port").doesNotContainKey("ports");
                // the merged environment of every service reaches the broker, the database and the realm
                Map<String, Object> appEnv = (Map<String, Object>) services.get(app).get("environment");
                assertThat(appEnv).containsKeys("SPRING_RABBITMQ_HOST", "SPRING_DATASOURCE_URL", "SW_SECURITY_ISSUER_URI",
                        "SW_SECURITY_JWKSETURI", "SW_SECURITY_CLIENT_SECRET", "SERVER_PORT", "MANAGEMENT_SERVER_PORT");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeHoldsNoDemoSecretAndRequiresEveryOneThatTheSecretsScriptWrites() throws IOException {
        String compose = Files.readString(INFRA.resolve("compose.yaml"));
        assertThat(compose).doesNotContain("sandbox-").doesNotContain("singlewindow-local").doesNotContain("OPENINGBALANCES")
                .doesNotContain("OPENINGSTOCK");
        // no secret has a default: ${NAME:?…}, or nothing (a rotation's previous key, unset but during one; an
        // optional one such as the receipts' signing key)
        java.util.regex.Matcher defaults = java.util.regex.Pattern.compile("\\$\\{([A-Z_]+):-([^}]*)}").matcher(compose);
        while (defaults.find()) {
            if (defaults.group(1).matches(".*(PASSWORD|SECRET|KEY|CERTIFICATE).*")) {
                assertThat(defaults.group(2)).as(defaults.group(1) + "'s default").isEmpty();
            }
        }
        java.util.Set<String> required = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Z_]+):\\?").matcher(compose);
        while (m.find()) {
            required.add(m.group(1));
        }
        assertThat(required).contains("SW_DB_PASSWORD", "SW_RABBITMQ_PASSWORD", "SW_KEYCLOAK_ADMIN_PASSWORD",
                "SW_TAX_LEDGERKEY", "SW_FOREX_LEDGERKEY", "SW_WEBHOOKS_SECRETKEY", "SW_CLIENT_SECRET_CUSTOMS");
        // the database roles' script makes a role for exactly the services that connect with one
        assertThat(Files.readString(INFRA.resolve("postgres/roles.sh")))
                .contains("for service in " + String.join(" ", org.singlewindow.contract.Topology.BROKER_SERVICES) + "; do");
        String script = Files.readString(INFRA.resolve("compose-secrets.sh"));
        assertThat(required).allSatisfy(name -> assertThat(script).as("compose-secrets.sh writes " + name).contains(name));

        // Keycloak fills every placeholder of the production realm, with what the service itself is given
        var services = services();
        Map<String, Object> keycloak = (Map<String, Object>) services.get("keycloak").get("environment");
        String realm = Files.readString(INFRA.resolve("keycloak/single-window-realm.production.json"));
        java.util.regex.Matcher placeholders = java.util.regex.Pattern.compile("\\$\\{(SW_[A-Z_]+)}").matcher(realm);
        int count = 0;
        while (placeholders.find()) {
            count++;
            assertThat(keycloak).as("keycloak's environment").containsEntry(placeholders.group(1),
                    "${" + placeholders.group(1) + ":?run infra/compose-secrets.sh}");
        }
        assertThat(count).isGreaterThanOrEqualTo(7);
        for (String app : APPS) {
            if (!app.equals("gateway")) {
                Map<String, Object> env = (Map<String, Object>) services.get(app).get("environment");
                String variable = "SW_CLIENT_SECRET_" + app.toUpperCase(java.util.Locale.ROOT);
                assertThat(env).containsEntry("SW_SECURITY_CLIENT_SECRET", "${" + variable + ":?run infra/compose-secrets.sh}");
                // its own broker user and password, the one rabbitmq-provision creates; the topology provisioned
                String broker = "SW_BROKER_PASSWORD_" + app.toUpperCase(java.util.Locale.ROOT);
                assertThat(env).containsEntry("SPRING_RABBITMQ_USERNAME", "sw-" + app)
                        .containsEntry("SPRING_RABBITMQ_PASSWORD", "${" + broker + ":?run infra/compose-secrets.sh}")
                        .containsEntry("SW_MESSAGING_TOPOLOGY", "verify");
                Map<String, Object> provision = (Map<String, Object>) services.get("rabbitmq-provision").get("environment");
                assertThat(provision).containsEntry(broker, "${" + broker + ":?run infra/compose-secrets.sh}");
                // and its own database role, the one postgres/roles.sh makes at the database's first start
                String database = "SW_DB_PASSWORD_" + app.toUpperCase(java.util.Locale.ROOT);
                assertThat(env).containsEntry("SPRING_DATASOURCE_USERNAME", "sw_" + app)
                        .containsEntry("SPRING_DATASOURCE_PASSWORD", "${" + database + ":?run infra/compose-secrets.sh}");
                Map<String, Object> postgres = (Map<String, Object>) services.get("postgres").get("environment");
                assertThat(postgres).containsEntry(database, "${" + database + ":?run infra/compose-secrets.sh}");
            }
        }
    }
}

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
        assertThat(services.keySet()).containsExactlyInAnyOrder("rabbitmq", "postgres", "keycloak", "prometheus", "grafana",
                "declaration", "customs", "inspection", "tax", "forex", "logistics", "gateway");
        services.forEach((name, service) -> assertThat(service).as(name).containsKey("healthcheck"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void nothingStartsBeforeWhatItNeedsIsHealthy() throws IOException {
        var services = services();
        for (String app : APPS) {
            Map<String, Map<String, String>> dependsOn = (Map<String, Map<String, String>>) services.get(app).get("depends_on");
            assertThat(dependsOn).as(app).containsKey("keycloak");
            if (!app.equals("gateway")) {
                assertThat(dependsOn).as(app).containsKeys("rabbitmq", "postgres");
            }
            dependsOn.forEach((on, condition) -> assertThat(condition).as(app + " on " + on)
                    .containsEntry("condition", "service_healthy"));
        }
        Map<String, Map<String, String>> gateway = (Map<String, Map<String, String>>) services.get("gateway").get("depends_on");
        assertThat(gateway).containsKeys("declaration", "customs", "inspection", "tax", "forex", "logistics");
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
        assertThat(services.get("keycloak").get("volumes").toString()).contains("./keycloak/single-window-realm.json");
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
}

package org.singlewindow.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chart with real Helm (helm-java runs Helm's own Go code in-JVM): lint in strict mode, render every
 * {@code ci/*-values.yaml}, check the objects that matter, and let the values schema refuse bad values.
 */
class ChartTest {

    private static final Path CHART = Path.of("single-window").toAbsolutePath();
    private static final List<String> COMPONENTS = List.of("gateway", "declaration", "customs", "inspection", "tax", "forex", "logistics",
            "console");
    private static final List<String> AGENCIES = List.of("customs", "inspection", "tax", "forex", "logistics");

    static Stream<Path> ciValues() throws IOException {
        return Files.list(CHART.resolve("ci")).filter(p -> p.toString().endsWith("-values.yaml")).sorted();
    }

    /** The rendered objects, by kind. */
    record Rendered(List<Map<String, Object>> objects) {
        List<Map<String, Object>> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        }

        Map<String, Object> named(String kind, String name) {
            return ofKind(kind).stream().filter(o -> name.equals(get(o, "metadata", "name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
        }
    }

    @SuppressWarnings("unchecked")
    static Object get(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            current = step instanceof Integer i ? ((List<Object>) current).get(i) : ((Map<String, Object>) current).get(step);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Rendered render(Path values, Consumer<com.marcnuri.helm.TemplateCommand> extra) {
        var command = new Helm(CHART).template().withName("sw").withNamespace("single-window");
        if (values != null) {
            command.withValuesFile(values);
        }
        extra.accept(command);
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(command.call())) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        return new Rendered(objects);
    }

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @ParameterizedTest
    @MethodSource("ciValues")
    void everyComponentRendersWithTheSharedPodDefaults(Path values) {
        Rendered r = render(values, c -> {
        });
        List<Map<String, Object>> deployments = r.ofKind("Deployment");
        assertThat(deployments).extracting(d -> get(d, "metadata", "name"))
                .containsExactlyInAnyOrderElementsOf(COMPONENTS.stream().map(c -> "sw-single-window-" + c).toList());
        for (Map<String, Object> d : deployments) {
            Object pod = get(d, "spec", "template", "spec");
            assertThat(get(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
            Object container = get(pod, "containers", 0);
            assertThat(get(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
            assertThat(get(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
            assertThat(get(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
            assertThat(get(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
            assertThat(get(container, "volumeMounts", 0, "mountPath")).isEqualTo("/tmp");
            assertThat(get(container, "image").toString()).startsWith("ghcr.io/single-window/sw-").endsWith(":0.1.0");
            // no secret in the rendered manifests: only references
            // no secret in the rendered manifests: only references (the console, a public client, has none)
            assertThat(container.toString()).doesNotContain("sandbox-");
            if (!get(d, "metadata", "name").equals("sw-single-window-console")) {
                assertThat(container.toString()).contains("secretKeyRef");
            }
        }
        assertThat(r.ofKind("PodDisruptionBudget")).hasSize(8);
        assertThat(r.ofKind("Service")).hasSize(8);
    }

    @Test
    void agencyConsumersScaleOnTheirQueueDepthWithKeda() {
        Rendered r = render(CHART.resolve("ci/default-values.yaml"), c -> {
        });
        List<Map<String, Object>> scaled = r.ofKind("ScaledObject");
        assertThat(scaled).hasSize(5);
        for (String agency : AGENCIES) {
            Map<String, Object> s = r.named("ScaledObject", "sw-single-window-" + agency);
            assertThat(get(s, "spec", "triggers", 0, "type")).isEqualTo("rabbitmq");
            assertThat(get(s, "spec", "triggers", 0, "metadata", "queueName")).isEqualTo("sw." + agency + ".declarations");
            assertThat(get(s, "spec", "triggers", 0, "metadata", "mode")).isEqualTo("QueueLength");
            assertThat(get(s, "spec", "scaleTargetRef", "name")).isEqualTo("sw-single-window-" + agency);
        }
        assertThat(r.ofKind("HorizontalPodAutoscaler")).extracting(h -> get(h, "metadata", "name"))
                .containsExactlyInAnyOrder("sw-single-window-gateway", "sw-single-window-declaration", "sw-single-window-console");
        assertThat(r.ofKind("TriggerAuthentication")).hasSize(1);
    }

    @Test
    void theGatewayBelievesForwardedClientAddressesOnlyFromItsProxies() {
        // behind the ingress: its controller, any private address unless the operator names its proxies
        Rendered ingress = render(CHART.resolve("ci/default-values.yaml"), c -> {
        });
        assertThat(trustedProxies(ingress)).isEqualTo("10\\..*|172\\.(1[6-9]|2[0-9]|3[01])\\..*|192\\.168\\..*");
        Rendered named = render(CHART.resolve("ci/default-values.yaml"), c -> c.set("gateway.trustedProxies", "10\\.8\\.0\\.\\d+"));
        assertThat(trustedProxies(named)).isEqualTo("10\\.8\\.0\\.\\d+");
        // no ingress: no proxy is trusted, the client is the TCP peer
        Rendered direct = render(CHART.resolve("ci/default-values.yaml"), c -> c.set("gateway.ingress.enabled", false));
        assertThat(trustedProxies(direct)).isNull();
    }

    @SuppressWarnings("unchecked")
    private static String trustedProxies(Rendered r) {
        List<Map<String, Object>> env = (List<Map<String, Object>>) get(r.named("Deployment", "sw-single-window-gateway"),
                "spec", "template", "spec", "containers", 0, "env");
        return env.stream().filter(e -> "SPRING_CLOUD_GATEWAY_SERVER_WEBFLUX_TRUSTEDPROXIES".equals(e.get("name")))
                .map(e -> e.get("value").toString()).findFirst().orElse(null);
    }

    @Test
    void withoutKedaAgenciesScaleOnCpu() {
        Rendered r = render(CHART.resolve("ci/external-services-values.yaml"), c -> {
        });
        assertThat(r.ofKind("ScaledObject")).isEmpty();
        assertThat(r.ofKind("HorizontalPodAutoscaler")).hasSize(7); // the gateway is fixed at one replica there
        assertThat(get(r.named("Deployment", "sw-single-window-gateway"), "spec", "replicas")).isEqualTo(1);
        assertThat(r.ofKind("RabbitmqCluster")).isEmpty();
        assertThat(r.ofKind("Cluster")).isEmpty();
        assertThat(r.ofKind("Keycloak")).isEmpty();
        String env = get(r.named("Deployment", "sw-single-window-tax"), "spec", "template", "spec", "containers", 0, "env").toString();
        assertThat(env).contains("rabbitmq.messaging.svc", "jdbc:postgresql://postgres.databases.svc:5432/singlewindow",
                "https://login.example.org/realms/single-window", "tax-ledger-key");
        // the window's webhook secrets are sealed with a key from the Secret, no other service gets it
        assertThat(get(r.named("Deployment", "sw-single-window-declaration"), "spec", "template", "spec", "containers", 0, "env")
                .toString()).contains("SW_WEBHOOKS_SECRETKEY", "webhooks-secret-key");
        assertThat(env).doesNotContain("webhooks-secret-key");
    }

    @Test
    void rabbitmqAndPostgresqlAreReplicatedAndTheRealmIsImported() {
        Rendered r = render(CHART.resolve("ci/default-values.yaml"), c -> {
        });
        Map<String, Object> rabbit = r.named("RabbitmqCluster", "sw-single-window-rabbitmq");
        assertThat(get(rabbit, "spec", "replicas")).isEqualTo(3);
        assertThat(get(rabbit, "spec", "rabbitmq", "additionalPlugins").toString()).contains("rabbitmq_prometheus");
        assertThat(get(rabbit, "spec", "rabbitmq", "additionalConfig").toString()).contains("default_queue_type = quorum");
        Map<String, Object> cluster = r.named("Cluster", "sw-single-window-postgresql");
        assertThat(get(cluster, "spec", "instances")).isEqualTo(3);
        // a login role per service, owner of its schema (made at init), its password from its Secret
        for (String service : List.of("declaration", "customs", "inspection", "tax", "forex", "logistics")) {
            assertThat(get(cluster, "spec", "bootstrap", "initdb", "postInitApplicationSQL").toString())
                    .contains("create schema " + service + " authorization sw_" + service);
            assertThat(get(cluster, "spec", "managed", "roles").toString()).contains("name=sw_" + service + ",")
                    .contains("passwordSecret={name=sw-single-window-db-" + service + "}");
        }
        Map<String, Object> realm = r.named("KeycloakRealmImport", "sw-single-window-realm");
        assertThat(get(realm, "spec", "realm", "realm")).isEqualTo("single-window");
        assertThat(get(realm, "spec", "realm", "clients")).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("ciValues")
    @SuppressWarnings("unchecked")
    void eachServiceIsItsOwnBrokerUserWithTheProvisionedTopologyAndNoAdministratorCredentials(Path values) {
        Rendered r = render(values, c -> {
        });
        for (String service : List.of("declaration", "customs", "inspection", "tax", "forex", "logistics")) {
            List<Map<String, Object>> env = (List<Map<String, Object>>) get(r.named("Deployment", "sw-single-window-" + service),
                    "spec", "template", "spec", "containers", 0, "env");
            Map<String, Object> byName = new java.util.HashMap<>();
            env.forEach(e -> byName.put(e.get("name").toString(), e.get("value") != null ? e.get("value") : e.get("valueFrom")));
            assertThat(byName.get("SPRING_RABBITMQ_USERNAME")).isEqualTo("sw-" + service);
            assertThat(get(byName.get("SPRING_RABBITMQ_PASSWORD"), "secretKeyRef", "name")).isEqualTo("single-window-secrets");
            assertThat(get(byName.get("SPRING_RABBITMQ_PASSWORD"), "secretKeyRef", "key")).isEqualTo("broker-password-" + service);
            assertThat(byName.get("SW_MESSAGING_TOPOLOGY")).isEqualTo("verify");
            // and its own database role, from its own Secret
            assertThat(byName.get("SPRING_DATASOURCE_USERNAME")).isEqualTo("sw_" + service);
            assertThat(get(byName.get("SPRING_DATASOURCE_PASSWORD"), "secretKeyRef", "name")).isEqualTo("sw-single-window-db-" + service);
        }
        // the provisioning Job: the administrator's credentials, each service's password, the repository's definitions
        Map<String, Object> job = r.ofKind("Job").stream().filter(j -> get(j, "metadata", "name").toString()
                .startsWith("sw-single-window-broker-provisioning-")).findFirst().orElseThrow();
        String jobEnv = get(job, "spec", "template", "spec", "containers", 0, "env").toString();
        assertThat(jobEnv).contains("RABBITMQ_ADMIN_PASSWORD", "broker-password-customs", "broker-password-declaration")
                .doesNotContain("broker-password-gateway");
        Map<String, Object> config = r.named("ConfigMap", "sw-single-window-broker-provisioning");
        try {
            assertThat(get(config, "data", "definitions.json").toString().strip())
                    .isEqualTo(java.nio.file.Files.readString(CHART.resolve("files/rabbitmq/definitions.json")).strip());
            assertThat(get(config, "data", "provision.sh").toString().strip())
                    .isEqualTo(java.nio.file.Files.readString(CHART.resolve("files/rabbitmq/provision.sh")).strip());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theConsoleRunsBehindTheGatewayWithNoDatabaseBrokerOrClientSecret() {
        Rendered r = render(CHART.resolve("ci/default-values.yaml"), c -> c.set("monitoring.grafanaUrl", "https://grafana.example.org"));
        List<Map<String, Object>> env = (List<Map<String, Object>>) get(r.named("Deployment", "sw-single-window-console"),
                "spec", "template", "spec", "containers", 0, "env");
        Map<String, Object> byName = new java.util.HashMap<>();
        env.forEach(e -> byName.put(e.get("name").toString(), e.get("value") != null ? e.get("value") : e.get("valueFrom")));
        assertThat(byName).containsEntry("SW_CONSOLE_GATEWAYURL", "http://sw-single-window-gateway:8080")
                .containsEntry("SW_CONSOLE_GRAFANAURL", "https://grafana.example.org")
                .containsEntry("SERVER_PORT", "8087")
                .doesNotContainKeys("SPRING_DATASOURCE_URL", "SPRING_RABBITMQ_HOST", "SW_SECURITY_CLIENT_SECRET");
        String gateway = get(r.named("Deployment", "sw-single-window-gateway"), "spec", "template", "spec", "containers", 0, "env").toString();
        assertThat(gateway).contains("SW_SERVICES_CONSOLE").contains("http://sw-single-window-console:8087");
        // no database role and no broker user for it
        assertThat(r.named("Cluster", "sw-single-window-postgresql").toString()).doesNotContain("sw_console").doesNotContain("sw_gateway");
        assertThat(r.ofKind("Job").toString()).doesNotContain("broker-password-console");
    }

    @Test
    void theProductionRealmHoldsNoDemoUserClientSecretOrPasswordGrant() {
        Rendered r = render(CHART.resolve("ci/default-values.yaml"), c -> {
        });
        Map<String, Object> realm = r.named("KeycloakRealmImport", "sw-single-window-realm");
        String whole = realm.toString();
        // no sandbox secret or password anywhere, no demo person, no test client
        assertThat(whole).doesNotContain("sandbox-").doesNotContain("enterprise-a").doesNotContain("password")
                .doesNotContain("sw-probe").doesNotContain("sw-foreign-app");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> users = (List<Map<String, Object>>) get(realm, "spec", "realm", "users");
        // what stays is the services' service accounts, each still with platform-service (service-to-service calls)
        assertThat(users).isNotEmpty().allSatisfy(u -> {
            assertThat(u).containsKey("serviceAccountClientId").doesNotContainKey("credentials");
            assertThat(u.get("realmRoles").toString()).contains("platform-service");
        });
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> clients = (List<Map<String, Object>>) get(realm, "spec", "realm", "clients");
        for (Map<String, Object> client : clients) {
            String id = client.get("clientId").toString();
            if (id.equals("single-window-app")) {
                assertThat(client.get("directAccessGrantsEnabled")).as("password grant").isEqualTo(false);
                // people log in at the ingress's address only
                assertThat(client.get("redirectUris")).isEqualTo(List.of("https://single-window.example.org/*"));
            }
            if (id.startsWith("sw-")) {
                String placeholder = "SW_CLIENT_SECRET_" + id.substring(3).toUpperCase(java.util.Locale.ROOT);
                assertThat(client.get("secret")).isEqualTo("$(" + placeholder + ")");
                assertThat(get(realm, "spec", "placeholders", placeholder, "secret", "name")).isEqualTo("single-window-secrets");
                assertThat(get(realm, "spec", "placeholders", placeholder, "secret", "key")).isEqualTo("client-secret-" + id.substring(3));
            }
        }
    }

    @Test
    void onlyTheGatewayIsReachableFromOutsideTheRelease() {
        Rendered r = render(CHART.resolve("ci/default-values.yaml"), c -> {
        });
        List<Map<String, Object>> policies = r.ofKind("NetworkPolicy");
        Map<String, Object> deny = r.named("NetworkPolicy", "sw-single-window-default-deny");
        assertThat(get(deny, "spec", "ingress")).isNull();
        assertThat(get(deny, "spec", "policyTypes").toString()).contains("Ingress");
        // the one rule without a source restriction is the gateway's, on its HTTP port
        List<Map<String, Object>> open = policies.stream().filter(p -> {
            Object ingress = get(p, "spec", "ingress");
            return ingress instanceof List<?> rules && rules.stream().anyMatch(rule -> get(rule, "from") == null);
        }).toList();
        assertThat(open).extracting(p -> get(p, "metadata", "name")).containsExactly("sw-single-window-gateway-public");
        assertThat(get(open.getFirst(), "spec", "podSelector", "matchLabels", "app.kubernetes.io/name")).isEqualTo("gateway");
        assertThat(get(open.getFirst(), "spec", "ingress", 0, "ports", 0, "port")).isEqualTo(8080);
        assertThat(r.ofKind("Ingress")).extracting(i -> get(i, "spec", "rules", 0, "http", "paths", 0, "backend", "service", "name"))
                .containsExactly("sw-single-window-gateway");
    }

    @Test
    void theDashboardsAndAlertRulesAreTheRepositorysFiles() throws IOException {
        Rendered r = render(CHART.resolve("ci/default-values.yaml"), c -> {
        });
        List<Map<String, Object>> dashboards = r.ofKind("ConfigMap").stream()
                .filter(c -> "1".equals(get(c, "metadata", "labels", "grafana_dashboard"))).toList();
        Path files = CHART.resolve("../../infra/grafana/dashboards").normalize();
        List<Path> json;
        try (Stream<Path> list = Files.list(files)) {
            json = list.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertThat(dashboards).hasSize(json.size()).hasSize(4);
        for (Path file : json) {
            String name = file.getFileName().toString();
            Object data = dashboards.stream().map(c -> get(c, "data", name)).filter(d -> d != null).findFirst().orElseThrow();
            assertThat(data.toString().strip()).isEqualTo(Files.readString(file).strip());
        }
        Map<String, Object> rules = r.named("PrometheusRule", "sw-single-window");
        assertThat(get(rules, "spec", "groups").toString()).contains("SwOutboxBacklogOld", "SwDeadLettersWaiting",
                "SwAgencyConsumerAbsent", "SwSubmitToFinalSlow", "SwCircuitOpen", "SwKeycloakUnreachable");
        assertThat(get(r.named("ServiceMonitor", "sw-single-window"), "spec", "endpoints", 0, "path")).isEqualTo("/actuator/prometheus");
    }

    @Test
    void theSchemaRefusesBadValues() {
        Path values = CHART.resolve("ci/default-values.yaml");
        for (Map.Entry<String, Object> bad : Map.<String, Object>of(
                "components.gateway.port", 70000,
                "components.customs.autoscaling.mode", "sometimes",
                "components.tax.replicas", -1,
                "podDefaults.securityContext.readOnlyRootFilesystem", false,
                "rabbitmq.replicas", 2,
                "keycloak.issuerUri", "https://login.example.org/realms/other",
                "image.pullPolicy", "Sometimes").entrySet()) {
            assertThatThrownBy(() -> render(values, c -> c.set(bad.getKey(), bad.getValue())))
                    .as(bad.getKey() + "=" + bad.getValue())
                    .hasMessageContaining("schema");
        }
        // and a component without its port
        assertThatThrownBy(() -> render(values, c -> c.set("components.extra.enabled", true))).hasMessageContaining("schema");
    }
}

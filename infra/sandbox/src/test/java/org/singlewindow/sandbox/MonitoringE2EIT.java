package org.singlewindow.sandbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Grafana would run, run against a real Prometheus: it scrapes the running platform (every
 * service's management port), the real RabbitMQ's {@code rabbitmq_prometheus} plugin and, when the
 * platform trusts a Keycloak, Keycloak's metrics, and loads the alert rules. Traffic of every kind goes
 * through the gateway (cleared, rejected, held and released, cancelled); then every target of every
 * panel of every dashboard in {@code infra/grafana/dashboards}, with its template variables
 * substituted, must be a valid query that returns data.
 *
 * <p>Runs where {@code -Dsw.e2e.prometheus=/path/to/prometheus} is given, against real RabbitMQ
 * ({@code -Dsw.it.infra=real}); CI does both. The RabbitMQ metrics endpoint is
 * {@code -Dsw.e2e.rabbitmq.metrics} (default {@code 127.0.0.1:15692}).
 */
class MonitoringE2EIT {

    private static Platform platform;
    private static E2EClient client;
    private static Process prometheus;
    private static Path work;
    private static URI prometheusUri;
    private static ScheduledExecutorService traffic;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        String binary = System.getProperty("sw.e2e.prometheus", "");
        Assumptions.assumeTrue(!binary.isBlank(), "no -Dsw.e2e.prometheus: the dashboards are checked in CI's real-infrastructure pass");
        Assumptions.assumeTrue(E2EPlatform.real(), "the dashboards read RabbitMQ's own metrics: run with -Dsw.it.infra=real");
        platform = E2EPlatform.get();
        client = new E2EClient(platform);

        Path home = Path.of(System.getProperty("sw.home", "../..")).toAbsolutePath().normalize();
        work = Files.createTempDirectory("sw-prometheus");
        List<String> targets = new ArrayList<>();
        targets.add("\"127.0.0.1:" + (platform.httpPort("gateway") + 1000) + "\"");
        for (String service : Platform.SERVICES.keySet()) {
            if (!service.equals("gateway")) {
                targets.add("\"127.0.0.1:" + (platform.httpPort(service) + 1000) + "\"");
            }
        }
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: 2s
                  evaluation_interval: 2s
                rule_files:
                  - %s/infra/prometheus/rules/*.yml
                scrape_configs:
                  - job_name: single-window
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: [%s]
                  - job_name: rabbitmq
                    metrics_path: /metrics/per-object
                    static_configs:
                      - targets: ["%s"]
                """.formatted(home, String.join(", ", targets), System.getProperty("sw.e2e.rabbitmq.metrics", "127.0.0.1:15692")));
        if (E2EPlatform.keycloak()) {
            config.append("""
                      - job_name: keycloak
                        metrics_path: /metrics
                        static_configs:
                          - targets: ["%s"]
                    """.formatted(System.getProperty("sw.e2e.keycloak.metrics", "127.0.0.1:9000")));
        }
        Files.writeString(work.resolve("prometheus.yml"), config.toString());
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        prometheusUri = URI.create("http://127.0.0.1:" + port);
        prometheus = new ProcessBuilder(binary, "--config.file=" + work.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1h")
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();

        // traffic of every kind, then a trickle so that rates over the last minute are never empty
        for (int i = 0; i < 10; i++) {
            client.submit(Samples.declaration());
        }
        ObjectNode mismatch = Samples.declaration();
        ((ObjectNode) mismatch.get("payment")).put("amountPaid", new BigDecimal("300.00"));
        client.submit(mismatch);
        ObjectNode recalled = Samples.declaration();
        ((ObjectNode) recalled.get("items").get(0)).put("barCode", "4008976022350");
        String released = client.submit(recalled);
        ObjectNode recalledToo = recalled.deepCopy();
        recalledToo.put("guid", java.util.UUID.randomUUID().toString());
        ((ObjectNode) recalledToo.get("order")).put("orderNo", "ORD-MON-" + System.nanoTime());
        ((ObjectNode) recalledToo.get("payment")).put("payTransactionId", "PAY-MON-" + System.nanoTime());
        ((ObjectNode) recalledToo.get("logistics")).put("logisticsNo", "WB-MON-" + System.nanoTime());
        String cancelled = client.submit(recalledToo);
        client.awaitStatus(released, "HELD");
        assertThat(client.call("POST", "/api/v1/inspection/declarations/" + released + "/review", "inspection-officer",
                "{\"decision\": \"RELEASE\", \"reason\": \"lot checked\"}").statusCode()).isEqualTo(200);
        client.awaitStatus(cancelled, "HELD");
        assertThat(client.call("POST", "/api/v1/declarations/" + cancelled + "/cancellation", "enterprise-a",
                "{\"reason\": \"withdrawn\"}").statusCode()).isEqualTo(202);
        assertThat(client.call("GET", "/api/v1/customs/declarations/" + released + "/window-status", "customs-officer", null)
                .statusCode()).isEqualTo(200);
        client.awaitStatus(released, "CLEARED");
        traffic = Executors.newSingleThreadScheduledExecutor();
        traffic.scheduleWithFixedDelay(() -> {
            try {
                client.submit(Samples.declaration());
            } catch (Exception | AssertionError e) {
                // a missed trickle only makes the wait longer
            }
        }, 0, 2, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws IOException {
        if (traffic != null) {
            traffic.shutdownNow();
        }
        if (prometheus != null) {
            prometheus.destroy();
            try {
                prometheus.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            prometheus.destroyForcibly();
        }
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(prometheusUri.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(response.body());
    }

    /** A panel target as Grafana would send it, and what is wrong with its answer (null when it returns data). */
    private String problem(String expr) throws Exception {
        JsonNode answer = api("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        if (!"success".equals(answer.path("status").asString())) {
            return "invalid: " + answer.path("error").asString();
        }
        JsonNode result = answer.path("data").path("result");
        if (result.isEmpty()) {
            return "no data";
        }
        boolean anyNumber = result.valueStream().anyMatch(series -> {
            String value = series.path("value").path(1).asString("NaN");
            return !value.equals("NaN");
        });
        return anyNumber ? null : "only NaN";
    }

    @Test
    void prometheusLoadsTheAlertRulesAndEveryPanelOfEveryDashboardReturnsData() throws Exception {
        Path dashboards = Path.of(System.getProperty("sw.home", "../..")).toAbsolutePath().normalize().resolve("infra/grafana/dashboards");
        List<Path> files;
        try (Stream<Path> list = Files.list(dashboards)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSize(4);

        // the environment variable's own query, as Grafana resolves it
        String env = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (env == null && System.nanoTime() < deadline) {
            JsonNode values = api("/api/v1/label/env/values?match[]=sw_outbox_backlog");
            env = values.path("data").isEmpty() ? null : values.path("data").get(0).asString();
            Thread.sleep(1000);
        }
        assertThat(env).as("label_values(sw_outbox_backlog, env)").isEqualTo("local");

        Map<String, String> panels = new LinkedHashMap<>();
        for (Path file : files) {
            JsonNode dashboard = Json.mapper().readTree(file.toFile());
            assertThat(dashboard.path("uid").asString()).as(file.toString()).startsWith("sw-");
            for (JsonNode panel : dashboard.path("panels")) {
                if (panel.path("type").asString().equals("row")) {
                    continue;
                }
                assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("sw-prometheus");
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asString()
                            .replace("$env", env)
                            .replace("$agency", "customs|inspection|tax|forex|logistics")
                            .replace("$__rate_interval", "1m")
                            .replace("$__range", "10m");
                    assertThat(expr).as("unsubstituted variable").doesNotContain("$");
                    panels.put(dashboard.path("uid").asString() + " / " + panel.path("title").asString() + " / "
                            + target.path("refId").asString(), expr);
                }
            }
        }
        assertThat(panels).hasSizeGreaterThan(40);

        Map<String, String> failing = new LinkedHashMap<>(panels); // panel → what is wrong
        deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (!failing.isEmpty() && System.nanoTime() < deadline) {
            Map<String, String> still = new LinkedHashMap<>();
            for (String panel : failing.keySet()) {
                String expr = panels.get(panel);
                String problem = problem(expr);
                if (problem != null) {
                    still.put(panel, problem + " — " + expr);
                }
            }
            failing = still;
            if (!failing.isEmpty()) {
                Thread.sleep(3000);
            }
        }
        assertThat(failing).as("panels without data (Prometheus log: %s)", work.resolve("prometheus.log")).isEmpty();

        if (E2EPlatform.keycloak()) {
            // the realm's server is watched too (the SwKeycloakUnreachable alert reads this)
            assertThat(api("/api/v1/query?query=" + URLEncoder.encode("up{job=\"keycloak\"}", StandardCharsets.UTF_8))
                    .path("data").path("result").path(0).path("value").path(1).asString()).as("Keycloak scraped").isEqualTo("1");
        }
        JsonNode rules = api("/api/v1/rules");
        List<String> loaded = rules.path("data").path("groups").valueStream()
                .flatMap(g -> g.path("rules").valueStream())
                .filter(r -> r.path("health").asString().equals("ok"))
                .map(r -> r.path("name").asString()).toList();
        assertThat(loaded).contains("SwOutboxBacklogOld", "SwDeadLettersWaiting", "SwAgencyConsumerAbsent", "SwServiceDown",
                "SwErrorRatioHigh", "SwSubmitToFinalSlow", "SwHoldsOverdue", "SwReturnsOverdue", "SwTaxStatementsOverdue", "SwDecisionsDeferred", "SwCircuitOpen",
                "SwKeycloakUnreachable");
    }
}

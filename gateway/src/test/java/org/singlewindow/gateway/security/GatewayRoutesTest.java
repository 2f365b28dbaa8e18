package org.singlewindow.gateway.security;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's route sends it exactly the paths the gateway lets through unauthenticated for it, and no API path. */
class GatewayRoutesTest {

    @Test
    @SuppressWarnings("unchecked")
    void theConsoleRouteAndTheConsolePathsAgree() throws IOException {
        Map<String, Object> config;
        try (InputStream in = GatewayRoutesTest.class.getResourceAsStream("/application.yml")) {
            config = new Yaml().load(in);
        }
        Map<String, Object> gateway = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                config.get("spring")).get("cloud")).get("gateway")).get("server");
        List<Map<String, Object>> routes = (List<Map<String, Object>>) ((Map<String, Object>) gateway.get("webflux")).get("routes");
        Map<String, Object> console = routes.stream().filter(r -> "console".equals(r.get("id"))).findFirst().orElseThrow();
        String predicate = ((List<String>) console.get("predicates")).getFirst();
        assertThat(predicate).startsWith("Path=");
        List<String> paths = Arrays.asList(predicate.substring("Path=".length()).split(","));
        assertThat(paths).containsExactlyInAnyOrderElementsOf(GatewaySecurity.CONSOLE_PATHS);
        assertThat(paths).noneMatch(p -> p.startsWith("/api") || p.startsWith("/actuator") || p.startsWith("/internal"));
    }
}

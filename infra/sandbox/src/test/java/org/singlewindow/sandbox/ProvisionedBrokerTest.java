package org.singlewindow.sandbox;

import org.junit.jupiter.api.Test;
import org.singlewindow.contract.BrokerDefinitions;
import org.singlewindow.contract.Topology;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code infra/rabbitmq/definitions.json}, which compose and the Helm chart import before the services
 * start, is {@link BrokerDefinitions} for the virtual host {@code /}: the topology the services would
 * declare and each service's least privileges. After changing the topology, write it again with
 * {@code ./mvnw -pl infra/sandbox test -Dtest=ProvisionedBrokerTest -Dsw.definitions.write=true}.
 */
class ProvisionedBrokerTest {

    private static final Path RABBITMQ = Path.of(System.getProperty("sw.home", "../..")).toAbsolutePath().normalize()
            .resolve("infra/rabbitmq");

    @Test
    void theProvisionedDefinitionsAreTheCodesTopologyAndLeastPrivileges() throws IOException {
        Path file = RABBITMQ.resolve("definitions.json");
        String expected = BrokerDefinitions.json("/", Map.of());
        if (Boolean.getBoolean("sw.definitions.write")) {
            Files.writeString(file, expected);
        }
        JsonMapper json = JsonMapper.builder().build();
        JsonNode committed = json.readTree(Files.readString(file));
        assertThat(committed).as("definitions.json is BrokerDefinitions.json(\"/\"): write it again (see the javadoc)")
                .isEqualTo(json.readTree(expected));

        // no service may configure anything or read another's queue; only the window publishes declarations
        assertThat(committed.get("permissions")).hasSize(Topology.BROKER_SERVICES.size()).allSatisfy(p -> {
            assertThat(p.get("configure").asString()).isEqualTo("^$");
            String service = p.get("user").asString().substring("sw-".length());
            assertThat(p.get("read").asString()).isEqualTo("^" + Topology.queueOf(service).replace(".", "\\.") + "(\\.dlq)?$");
            assertThat(p.get("write").asString().contains("sw\\.declarations")).isEqualTo(service.equals("declaration"));
        });
        assertThat(committed.get("topic_permissions")).hasSize(5);
        assertThat(committed.toString()).doesNotContain("password");
        // the script creates exactly the users the definitions give permissions to
        String script = Files.readString(RABBITMQ.resolve("provision.sh"));
        assertThat(script).contains("for service in " + String.join(" ", Topology.BROKER_SERVICES) + "; do");
    }
}

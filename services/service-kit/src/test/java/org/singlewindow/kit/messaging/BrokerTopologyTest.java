package org.singlewindow.kit.messaging;

import org.junit.jupiter.api.Test;
import org.singlewindow.infra.embedded.EmbeddedBroker;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the operator provisions the topology, a service only checks it is there, and says what is missing. */
class BrokerTopologyTest {

    @Test
    void aServiceThatMayNotConfigureTheTopologyRefusesToGoOnWithoutItThenFindsItProvisioned() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(0)) {
            CachingConnectionFactory factory = new CachingConnectionFactory(broker.host(), broker.port());
            factory.setUsername(EmbeddedBroker.USERNAME);
            factory.setPassword(EmbeddedBroker.PASSWORD);
            try {
                var connection = factory.createConnection();
                assertThatThrownBy(() -> new BrokerTopology(50, false).onCreate(connection))
                        .hasMessageContaining("sw.messaging.topology=verify, but the broker lacks exchange sw.declarations")
                        .hasMessageContaining("queue sw.customs.declarations.dlq");
                // provisioned (here by a service allowed to declare it), the check passes
                new BrokerTopology(50, true).onCreate(connection);
                assertThatCode(() -> new BrokerTopology(50, false).onCreate(connection)).doesNotThrowAnyException();
            } finally {
                factory.destroy();
            }
        }
    }
}

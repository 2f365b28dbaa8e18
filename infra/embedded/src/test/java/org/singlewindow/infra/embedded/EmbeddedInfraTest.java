package org.singlewindow.infra.embedded;

import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedInfraTest {

    @Test
    void brokerRoutesAPersistentMessageThroughATopicExchangeWithConfirms() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(0)) {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(broker.host());
            factory.setPort(broker.port());
            factory.setUsername(EmbeddedBroker.USERNAME);
            factory.setPassword(EmbeddedBroker.PASSWORD);
            try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
                assertThat(connection.getServerProperties().get("product").toString()).containsIgnoringCase("qpid");
                channel.exchangeDeclare("t.ex", "topic", true);
                channel.queueDeclare("t.q", true, false, false, Map.of());
                channel.queueBind("t.q", "t.ex", "declaration.*.v1");
                channel.confirmSelect();
                channel.basicPublish("t.ex", "declaration.submitted.v1", null, "hello".getBytes(StandardCharsets.UTF_8));
                channel.waitForConfirmsOrDie(5_000);
                var response = channel.basicGet("t.q", true);
                assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
            }
        }
    }

    @Test
    void databaseAcceptsJdbcConnections() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(0, null);
             var connection = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USERNAME, "");
             var rs = connection.createStatement().executeQuery("select current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(EmbeddedDatabase.DATABASE);
        }
    }
}

package org.singlewindow.infra.embedded;

import org.singlewindow.contract.Topology;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * A broker and a database for one integration test, isolated from every other test, and the
 * embedded token issuer ({@link #issuer()}):
 * <ul>
 *   <li>{@code -Dsw.it.infra=embedded} (the default): a fresh embedded broker, and a fresh database
 *   in a PostgreSQL shared by the JVM;</li>
 *   <li>{@code -Dsw.it.infra=real}: RabbitMQ and PostgreSQL on 127.0.0.1 (5672, 5432), with a fresh
 *   virtual host (made with {@code rabbitmqctl}) and a fresh database, both removed on close.</li>
 * </ul>
 */
public final class TestInfrastructure implements AutoCloseable {

    private static EmbeddedDatabase sharedDatabase;
    private static EmbeddedIssuer sharedIssuer;

    private final boolean real;
    private final String name;
    private final EmbeddedBroker broker;
    private final String amqpHost;
    private final int amqpPort;
    private final String virtualHost;
    private final String adminJdbcUrl;
    private final String jdbcUrl;

    private TestInfrastructure(boolean real) {
        this.real = real;
        this.name = "sw_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (real) {
            broker = null;
            amqpHost = System.getProperty("sw.it.amqp.host", "127.0.0.1");
            amqpPort = Integer.getInteger("sw.it.amqp.port", 5672);
            virtualHost = name;
            Rabbitmqctl.run("add_vhost", virtualHost);
            Rabbitmqctl.run("set_permissions", "-p", virtualHost, "guest", ".*", ".*", ".*");
            String pgBase = System.getProperty("sw.it.jdbc.base", "jdbc:postgresql://127.0.0.1:5432/");
            adminJdbcUrl = pgBase + "postgres";
            jdbcUrl = pgBase + name;
        } else {
            broker = EmbeddedBroker.start(0);
            amqpHost = broker.host();
            amqpPort = broker.port();
            virtualHost = "/";
            EmbeddedDatabase database = database();
            adminJdbcUrl = "jdbc:postgresql://127.0.0.1:" + database.port() + "/postgres";
            jdbcUrl = "jdbc:postgresql://127.0.0.1:" + database.port() + "/" + name;
        }
        sql("create database " + name);
    }

    /** Start what {@code sw.it.infra} asks for. */
    public static TestInfrastructure start() {
        return new TestInfrastructure("real".equalsIgnoreCase(System.getProperty("sw.it.infra", "embedded")));
    }

    private static synchronized EmbeddedDatabase database() {
        if (sharedDatabase == null) {
            sharedDatabase = EmbeddedDatabase.start(0, null);
            Runtime.getRuntime().addShutdownHook(new Thread(sharedDatabase::close));
        }
        return sharedDatabase;
    }

    /**
     * The token issuer tests use: the embedded issuer loading the realm file, shared by the JVM (tests
     * need its signing key for forged-but-signed tokens, so it stays embedded with real infrastructure too).
     */
    public static synchronized EmbeddedIssuer issuer() {
        if (sharedIssuer == null) {
            sharedIssuer = EmbeddedIssuer.start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(sharedIssuer::close));
        }
        return sharedIssuer;
    }

    public boolean isReal() {
        return real;
    }

    public String amqpHost() {
        return amqpHost;
    }

    public int amqpPort() {
        return amqpPort;
    }

    public String virtualHost() {
        return virtualHost;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * A broker connection as a service's user ({@code sw-<service>}, the sandbox's password), to publish as
     * that service would: the embedded broker knows these users; on RabbitMQ the user is created (or its
     * password set) and given this test's virtual host.
     */
    public com.rabbitmq.client.Connection connectAs(String user) throws Exception {
        String password = EmbeddedBroker.sandboxPassword(user);
        if (real) {
            Rabbitmqctl.ensureUser(user, password);
            Rabbitmqctl.run("set_permissions", "-p", virtualHost, user, ".*", ".*", ".*");
        }
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost(amqpHost);
        factory.setPort(amqpPort);
        factory.setVirtualHost(virtualHost);
        factory.setUsername(user);
        factory.setPassword(password);
        return factory.newConnection();
    }

    /** Spring Boot properties that point a service at this infrastructure. */
    public Map<String, String> springProperties() {
        Map<String, String> properties = new java.util.LinkedHashMap<>(Map.of(
                "spring.rabbitmq.host", amqpHost,
                "spring.rabbitmq.port", Integer.toString(amqpPort),
                "spring.rabbitmq.virtual-host", virtualHost,
                "spring.datasource.url", jdbcUrl,
                "sw.security.issuer-uri", issuer().issuer()));
        // one service in the test's JVM, and the test itself playing every other: all of them publish as
        // guest here (the sandbox and the end-to-end tests give each service its own user)
        for (String service : Topology.BROKER_SERVICES) {
            properties.put("sw.messaging.broker-users." + service, EmbeddedBroker.USERNAME);
        }
        return properties;
    }

    private void sql(String statement) {
        try (Connection connection = DriverManager.getConnection(adminJdbcUrl, "postgres", "")) {
            connection.createStatement().execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + statement + "' on " + adminJdbcUrl, e);
        }
    }

    @Override
    public void close() {
        try {
            sql("drop database if exists " + name + " with (force)");
        } finally {
            if (broker != null) {
                broker.close();
            }
            if (real) {
                Rabbitmqctl.run("delete_vhost", virtualHost);
            }
        }
    }
}

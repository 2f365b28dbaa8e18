package org.singlewindow.infra.embedded;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

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
            rabbitmqctl("add_vhost", virtualHost);
            rabbitmqctl("set_permissions", "-p", virtualHost, "guest", ".*", ".*", ".*");
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

    /** Spring Boot properties that point a service at this infrastructure. */
    public Map<String, String> springProperties() {
        return Map.of(
                "spring.rabbitmq.host", amqpHost,
                "spring.rabbitmq.port", Integer.toString(amqpPort),
                "spring.rabbitmq.virtual-host", virtualHost,
                "spring.datasource.url", jdbcUrl,
                "sw.security.issuer-uri", issuer().issuer());
    }

    private void sql(String statement) {
        try (Connection connection = DriverManager.getConnection(adminJdbcUrl, "postgres", "")) {
            connection.createStatement().execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + statement + "' on " + adminJdbcUrl, e);
        }
    }

    private static void rabbitmqctl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = System.getProperty("sw.it.rabbitmqctl", "rabbitmqctl");
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run rabbitmqctl (needed for -Dsw.it.infra=real)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
                rabbitmqctl("delete_vhost", virtualHost);
            }
        }
    }
}

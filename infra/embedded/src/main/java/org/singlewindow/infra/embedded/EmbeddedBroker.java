package org.singlewindow.infra.embedded;

import org.apache.qpid.server.SystemLauncher;
import org.singlewindow.contract.Topology;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.SystemConfig;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-process AMQP 0-9-1 broker (Apache Qpid Broker-J, in-memory store) on 127.0.0.1.
 *
 * <p>Like the platform's RabbitMQ it knows each service as its own user ({@code sw-<service>}, password
 * {@link #sandboxPassword}) besides {@code guest}, and refuses a message whose {@code user-id} is not
 * the user of the connection it is published on (Qpid's message authorisation), so a consumer can trust
 * the {@code user-id} it sees.
 *
 * <p>It speaks the same protocol as RabbitMQ but rejects RabbitMQ-only queue arguments
 * ({@code x-dead-letter-exchange}, {@code x-queue-type}, {@code x-delivery-limit}, {@code x-message-ttl});
 * the service kit detects the broker product and applies those only on RabbitMQ.
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final String USERNAME = "guest";
    public static final String PASSWORD = "guest";
    /** The sandbox's password of a service's broker user (a demo value, like the realm file's secrets). */
    public static String sandboxPassword(String user) {
        return "sandbox-" + user + "-broker";
    }

    private final AtomicReference<SystemConfig<?>> systemConfig = new AtomicReference<>();
    private final SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
        @Override
        public void onContainerResolve(SystemConfig<?> config) {
            systemConfig.set(config);
        }
    });
    private final int port;

    private EmbeddedBroker(int port) {
        this.port = port;
    }

    /** Start a broker on the given port (0 picks a free one). */
    public static EmbeddedBroker start(int port) {
        int actual = port == 0 ? FreePort.find() : port;
        EmbeddedBroker broker = new EmbeddedBroker(actual);
        broker.launch();
        return broker;
    }

    private void launch() {
        Map<String, Object> context = new HashMap<>();
        context.put("sw.amqp.port", Integer.toString(port));
        context.put("sw.amqp.username", USERNAME);
        context.put("sw.amqp.password", PASSWORD);
        context.put("qpid.broker.defaultPreferenceStoreAttributes", "{\"type\": \"Noop\"}");
        // a published user-id must be the connection's user (RabbitMQ's validated user-id)
        context.put("qpid.broker_msg_auth", "true");

        Map<String, Object> attributes = new HashMap<>();
        attributes.put(SystemConfig.TYPE, "Memory");
        attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION, initialConfiguration());
        attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, Boolean.FALSE);
        attributes.put(SystemConfig.CONTEXT, context);
        try {
            launcher.startup(attributes);
            removeBrokersShutdownHook();
        } catch (Exception | LinkageError e) {
            // a class missing from the class path surfaces here as an error: stop what Qpid started (its
            // threads would otherwise keep the JVM alive) and report it as a failure to start
            close();
            throw new IllegalStateException("embedded AMQP broker failed to start on port " + port + ": " + e, e);
        }
    }

    /**
     * Qpid reads its initial configuration from a URL it can open itself: ours is copied to a file, with
     * a user per service added beside guest.
     */
    private static String initialConfiguration() {
        try (var in = Objects.requireNonNull(EmbeddedBroker.class.getResourceAsStream("qpid-initial-config.json"))) {
            String config = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            StringBuilder users = new StringBuilder();
            for (String service : Topology.BROKER_SERVICES) {
                String user = Topology.brokerUser(service);
                users.append(",\n        {\"name\": \"").append(user).append("\", \"password\": \"")
                        .append(sandboxPassword(user)).append("\", \"type\": \"managed\"}");
            }
            String marker = "\"password\": \"${sw.amqp.password}\", \"type\": \"managed\"}";
            if (!config.contains(marker)) {
                throw new IllegalStateException("qpid-initial-config.json has no guest user to add the services' users after");
            }
            config = config.replace(marker, marker + users);
            java.nio.file.Path file = java.nio.file.Files.createTempFile("sw-qpid-", ".json");
            file.toFile().deleteOnExit();
            java.nio.file.Files.writeString(file, config);
            return file.toUri().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the broker's initial configuration", e);
        }
    }

    /**
     * Qpid registers its own JVM shutdown hook, which would close the broker while the services that
     * use it are still stopping (they then log connection errors). Whoever started the broker closes
     * it, in order, so the hook is removed. If Qpid changes and the hook is not found, it stays.
     */
    private void removeBrokersShutdownHook() {
        SystemConfig<?> config = systemConfig.get();
        Object broker = config == null ? null : config.getContainer();
        if (broker == null) {
            return;
        }
        for (Class<?> type = broker.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField("_shutdownHook");
                field.setAccessible(true);
                if (field.get(broker) instanceof Thread hook) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
                return;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return; // keep Qpid's hook: shutdown is then merely noisier
            }
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    @Override
    public void close() {
        try {
            launcher.shutdown();
        } catch (RuntimeException | LinkageError e) {
            // already closed (by Qpid's own shutdown hook, if it could not be removed), or never fully started
        }
    }
}

package org.singlewindow.infra.embedded;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.model.SystemConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An in-process AMQP 0-9-1 broker (Apache Qpid Broker-J, in-memory store) on 127.0.0.1.
 *
 * <p>It speaks the same protocol as RabbitMQ but rejects RabbitMQ-only queue arguments
 * ({@code x-dead-letter-exchange}, {@code x-queue-type}, {@code x-delivery-limit}, {@code x-message-ttl});
 * the service kit detects the broker product and applies those only on RabbitMQ.
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final String USERNAME = "guest";
    public static final String PASSWORD = "guest";

    private final SystemLauncher launcher = new SystemLauncher();
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

        Map<String, Object> attributes = new HashMap<>();
        attributes.put(SystemConfig.TYPE, "Memory");
        attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION,
                Objects.requireNonNull(getClass().getResource("qpid-initial-config.json")).toExternalForm());
        attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, Boolean.FALSE);
        attributes.put(SystemConfig.CONTEXT, context);
        try {
            launcher.startup(attributes);
        } catch (Exception e) {
            throw new IllegalStateException("embedded AMQP broker failed to start on port " + port, e);
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
        launcher.shutdown();
    }
}

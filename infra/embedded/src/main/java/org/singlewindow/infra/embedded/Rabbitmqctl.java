package org.singlewindow.infra.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code rabbitmqctl} on this machine ({@code -Dsw.it.rabbitmqctl} names another), for what a real
 * RabbitMQ needs made before a test or the sandbox uses it: virtual hosts, users, permissions,
 * definitions.
 */
public final class Rabbitmqctl {

    private Rabbitmqctl() {
    }

    /** Run it; a failure is an exception with its output. */
    public static void run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("sw.it.rabbitmqctl", "rabbitmqctl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run rabbitmqctl (a real RabbitMQ on this machine needs it: "
                    + "virtual hosts, users, definitions)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running rabbitmqctl " + args[0], e);
        }
    }

    /** A user with this password: made, or, if it exists, its password set. */
    public static void ensureUser(String user, String password) {
        try {
            run("add_user", user, password);
        } catch (IllegalStateException exists) {
            run("change_password", user, password);
        }
    }
}

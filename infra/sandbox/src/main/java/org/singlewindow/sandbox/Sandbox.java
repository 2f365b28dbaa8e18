package org.singlewindow.sandbox;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./mvnw -Psandbox package} ends here: the whole platform on the embedded default, in the
 * foreground until Ctrl-C.
 *
 * <p>Options: {@code --home=DIR} (project root), {@code --port=8080} (gateway; services follow),
 * {@code --real} (use RabbitMQ and PostgreSQL on 127.0.0.1 instead of the embedded pair; override
 * with SW_AMQP_HOST, SW_AMQP_PORT, SW_JDBC_URL), {@code --issuer=URL} (trust this realm issuer, e.g. a
 * Keycloak at {@code http://127.0.0.1:8180/realms/single-window}, instead of the embedded issuer),
 * {@code --rates=URL} (forex asks this exchange-rate provider instead of the sandbox's demo feed),
 * {@code --sampling} (inspection samples declarations at random by its rules' rates; off by default so
 * that demo declarations are not held at random).
 */
public final class Sandbox {

    private Sandbox() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path home = Path.of(".").toAbsolutePath().normalize();
        int port = 8080;
        boolean real = false;
        String issuer = null;
        String rates = null;
        boolean sampling = false;
        for (String arg : args) {
            if (arg.startsWith("--home=")) {
                home = Path.of(arg.substring(7)).toAbsolutePath().normalize();
            } else if (arg.matches("--port=\\d{1,5}")) {
                port = Integer.parseInt(arg.substring(7));
            } else if (arg.equals("--real")) {
                real = true;
            } else if (arg.startsWith("--issuer=")) {
                issuer = arg.substring(9);
            } else if (arg.startsWith("--rates=")) {
                rates = arg.substring(8);
            } else if (arg.equals("--sampling")) {
                sampling = true;
            } else {
                System.err.println("unknown option " + arg
                        + " (known: --home=DIR --port=N --real --issuer=URL --rates=URL --sampling)");
                System.exit(2);
            }
        }
        Platform.Options options = real
                ? Platform.Options.real(home, port, env("SW_AMQP_HOST", "127.0.0.1"),
                        Integer.parseInt(env("SW_AMQP_PORT", "5672")), "/",
                        env("SW_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/singlewindow"))
                : Platform.Options.embedded(home, port);
        options = options.withIssuer(issuer);
        if (rates != null) {
            options = options.withEnv("forex", Map.of("SW_FOREX_RATES_URL", rates));
        }
        if (sampling) {
            options = options.withEnv("inspection", Map.of("SW_INSPECTION_SAMPLING", "true"));
        }

        long started = System.nanoTime();
        System.out.println("Single Window sandbox: starting " + (real ? "against RabbitMQ and PostgreSQL on 127.0.0.1"
                : "with an embedded AMQP broker and PostgreSQL") + "; logs in " + options.logDir());
        Platform platform = new Platform(options);
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch startEnded = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            System.out.println("Single Window sandbox: stopping");
            platform.close();
            // Ctrl-C during the start: the JVM halts once this hook returns, so let the start unwind first (what
            // it starts after close() is closed at once); otherwise a database being started would outlive us
            awaitQuietly(startEnded, Duration.ofSeconds(60));
            stopped.countDown();
        }));
        Throwable failure = null;
        try {
            platform.start(Duration.ofMinutes(4));
        } catch (Throwable e) {
            failure = e;
        } finally {
            startEnded.countDown();
        }
        if (failure != null && stopping.get()) {
            System.out.println("Single Window sandbox: stopped before it was ready");
            return;
        }
        if (failure != null) {
            // start() has stopped whatever it had started; the JVM exits even if a library left a thread behind
            System.err.println("Single Window sandbox could not start: " + headline(failure) + " (details: "
                    + writeDetails(options.logDir(), failure) + ")");
            System.exit(1);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String gw = platform.gateway().toString();
        System.out.printf("""

                Single Window is ready in %.1f s.
                  Gateway      %s   (all of /api/v1/**)
                  Swagger UI   %s/swagger-ui.html
                  Issuer       %s   (realm file infra/keycloak/single-window-realm.json)
                  AMQP broker  %s:%d   PostgreSQL %s
                  Services     %s
                Try (demo users and password are for local use only):
                  TOKEN=$(curl -s %s/protocol/openid-connect/token -d grant_type=password \\
                       -d client_id=single-window-app -d username=enterprise-a -d password=sandbox-demo | jq -r .access_token)
                  curl -i -X POST %s/api/v1/declarations -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                       -H 'Idempotency-Key: demo-1' --data @infra/samples/declaration.json
                  curl -H "Authorization: Bearer $TOKEN" %s/api/v1/declarations/<id from the Location header>
                Stop with Ctrl-C.
                ready
                """, seconds, gw, gw, platform.issuer(), platform.amqpHost(), platform.amqpPort(), platform.jdbcUrl(),
                platform.pids(), platform.issuer(), gw, gw);
        stopped.await();
    }

    private static void awaitQuietly(CountDownLatch latch, Duration patience) {
        try {
            latch.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What failed and what to do, in one line. */
    static String headline(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof LinkageError || cause instanceof ClassNotFoundException) {
                return "a class is missing from the sandbox jar's class path (" + cause.getMessage()
                        + "): rebuild with ./mvnw -Psandbox package, and report it if it persists";
            }
        }
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** The failure in full (stack trace, a service's last log lines) in a file; returns where. */
    private static Path writeDetails(Path logDir, Throwable failure) {
        Path file = logDir.resolve("sandbox-start-failure.log");
        try {
            Files.createDirectories(logDir);
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            Files.writeString(file, trace.toString());
            return file;
        } catch (IOException | RuntimeException e) {
            failure.printStackTrace();
            return Path.of("the stack trace above");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

}

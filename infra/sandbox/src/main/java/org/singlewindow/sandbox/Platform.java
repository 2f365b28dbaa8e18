package org.singlewindow.sandbox;

import org.singlewindow.contract.BrokerDefinitions;
import org.singlewindow.contract.Topology;
import org.singlewindow.infra.embedded.EmbeddedBroker;
import org.singlewindow.infra.embedded.EmbeddedDatabase;
import org.singlewindow.infra.embedded.EmbeddedIssuer;
import org.singlewindow.infra.embedded.Rabbitmqctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole platform on one machine: infrastructure (embedded broker and PostgreSQL, or the real
 * servers named in {@link Options}), the token issuer (the embedded one loading the realm file on
 * gateway port + 100, or an external Keycloak), and every service as its own JVM, started from the
 * very jars that production runs, configured by environment variables alone.
 */
public final class Platform implements AutoCloseable {

    /** Services and their port offsets from the base HTTP port (management port = HTTP port + 1000). */
    public static final Map<String, Integer> SERVICES;

    static {
        Map<String, Integer> services = new LinkedHashMap<>();
        services.put("declaration", 1);
        services.put("customs", 2);
        services.put("inspection", 3);
        services.put("tax", 4);
        services.put("forex", 5);
        services.put("logistics", 6);
        services.put("console", 7);
        services.put("gateway", 0);
        SERVICES = java.util.Collections.unmodifiableMap(services);
    }

    /**
     * @param home        project root (where services/ and gateway/ are built)
     * @param basePort    gateway port; service i listens on basePort + i
     * @param embedded    true: start the embedded broker and PostgreSQL; false: use the servers below
     * @param amqpHost    real broker host
     * @param amqpPort    real broker port
     * @param amqpVhost   real broker virtual host
     * @param jdbcUrl     real PostgreSQL URL (database must exist)
     * @param logDir      where each service's log goes
     * @param issuerUri   an external realm issuer (Keycloak), or null for the embedded issuer
     * @param env         extra environment by service ("*" for all), e.g. the gateway's rate-limit settings
     * @param jvmOptions  the options every service's JVM starts with
     */
    public record Options(Path home, int basePort, boolean embedded, String amqpHost, int amqpPort, String amqpVhost,
                          String jdbcUrl, Path logDir, String issuerUri, Map<String, Map<String, String>> env,
                          List<String> jvmOptions) {

        /**
         * Small heaps and the quick compiler only: seven JVMs start fast on a laptop (and measured
         * faster than {@link #SERVER_JVM} on two shared cores, where C2 compiler threads compete).
         */
        public static final List<String> QUICK_START_JVM = List.of("-XX:+UseSerialGC", "-Xmx384m", "-XX:TieredStopAtLevel=1");
        /** Server settings: both compilers, a collector for throughput ({@code bench --jvm=server}). */
        public static final List<String> SERVER_JVM = List.of("-XX:+UseParallelGC", "-Xms256m", "-Xmx512m");

        public Options {
            env = env == null ? Map.of() : Map.copyOf(env);
            jvmOptions = jvmOptions == null ? QUICK_START_JVM : List.copyOf(jvmOptions);
        }

        public Options(Path home, int basePort, boolean embedded, String amqpHost, int amqpPort, String amqpVhost,
                       String jdbcUrl, Path logDir) {
            this(home, basePort, embedded, amqpHost, amqpPort, amqpVhost, jdbcUrl, logDir, null, Map.of(), null);
        }

        public static Options embedded(Path home, int basePort) {
            return new Options(home, basePort, true, null, 0, "/", null, home.resolve(".sandbox/logs"));
        }

        public static Options real(Path home, int basePort, String amqpHost, int amqpPort, String vhost, String jdbcUrl) {
            return new Options(home, basePort, false, amqpHost, amqpPort, vhost, jdbcUrl, home.resolve(".sandbox/logs"));
        }

        public Options withIssuer(String issuer) {
            return new Options(home, basePort, embedded, amqpHost, amqpPort, amqpVhost, jdbcUrl, logDir, issuer, env, jvmOptions);
        }

        public Options withJvmOptions(List<String> options) {
            return new Options(home, basePort, embedded, amqpHost, amqpPort, amqpVhost, jdbcUrl, logDir, issuerUri, env, options);
        }

        public Options withEnv(String service, Map<String, String> variables) {
            Map<String, Map<String, String>> all = new LinkedHashMap<>(env);
            Map<String, String> merged = new LinkedHashMap<>(all.getOrDefault(service, Map.of()));
            merged.putAll(variables);
            all.put(service, Map.copyOf(merged));
            return new Options(home, basePort, embedded, amqpHost, amqpPort, amqpVhost, jdbcUrl, logDir, issuerUri, all, jvmOptions);
        }
    }

    private final Options options;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private EmbeddedBroker broker;
    private EmbeddedDatabase database;
    private EmbeddedIssuer embeddedIssuer;
    private DemoRateFeed rateFeed;
    private String issuer;
    private String amqpHost;
    private int amqpPort;
    private String jdbcUrl;
    private volatile boolean closed;

    public Platform(Options options) {
        this.options = options;
    }

    /**
     * Start infrastructure, then every service; returns once all report ready. If anything fails (an
     * exception or an error such as a class missing from the class path), or {@link #close} is called
     * meanwhile (Ctrl-C), everything started so far is stopped before this throws: no child JVM, broker or
     * database is left behind and every port is free again.
     */
    public Platform start(Duration timeout) {
        try {
            return startAll(timeout);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private Platform startAll(Duration timeout) {
        List<Path> jars = new ArrayList<>();
        for (String service : SERVICES.keySet()) {
            Path jar = jar(service);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("missing " + options.home().relativize(jar)
                        + ": build first with ./mvnw -Psandbox package (or ./mvnw package -DskipTests)");
            }
            jars.add(jar);
        }
        awaitPortsFree(Duration.ofSeconds(15));
        if (options.embedded()) {
            database = started(EmbeddedDatabase.start(0, null));
            broker = started(EmbeddedBroker.start(0));
            amqpHost = broker.host();
            amqpPort = broker.port();
            jdbcUrl = database.jdbcUrl();
            provisionDatabase();
        } else {
            amqpHost = options.amqpHost();
            amqpPort = options.amqpPort();
            jdbcUrl = options.jdbcUrl();
            provisionBroker();
            provisionDatabase();
        }
        if (options.issuerUri() == null) {
            embeddedIssuer = started(EmbeddedIssuer.start(options.basePort() + 100));
            issuer = embeddedIssuer.issuer();
        } else {
            issuer = options.issuerUri();
        }
        rateFeed = started(DemoRateFeed.start(options.basePort() + 101));
        try {
            Files.createDirectories(options.logDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String service : SERVICES.keySet()) {
            startService(service);
        }
        awaitReady(timeout);
        ensureOpen();   // closed while the last service came up: the start has failed all the same
        return this;
    }

    /**
     * The platform's fixed ports: every service's HTTP and management port, the embedded issuer's (when it
     * runs one) and the demo rate feed's.
     */
    public static List<Integer> fixedPorts(int basePort, boolean embeddedIssuer) {
        List<Integer> ports = new ArrayList<>();
        for (int offset : SERVICES.values()) {
            ports.add(basePort + offset);
            ports.add(basePort + offset + 1000);
        }
        if (embeddedIssuer) {
            ports.add(basePort + 100);
        }
        ports.add(basePort + 101);
        return ports;
    }

    /**
     * Waits up to {@code patience} for the fixed ports to be free (a sandbox stopped a moment ago may still be
     * closing), then fails naming the first one still taken.
     */
    private void awaitPortsFree(Duration patience) {
        List<Integer> ports = fixedPorts(options.basePort(), options.issuerUri() == null);
        long deadline = System.nanoTime() + patience.toNanos();
        boolean told = false;
        for (int port : ports) {
            while (inUse(port)) {
                if (!told) {
                    System.out.println("waiting up to " + patience.toSeconds() + " s for port " + port
                            + " to be free (a sandbox stopped a moment ago may still be closing)");
                    told = true;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use (another sandbox still"
                            + " running?): stop whatever holds it, or start with --port=N to use ports N to N+"
                            + (ports.stream().mapToInt(Integer::intValue).max().orElse(port) - options.basePort()));
                }
                sleep(Duration.ofMillis(250));
            }
        }
    }

    /** Whether something listens on this port of the loopback address. */
    public static boolean inUse(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * A piece of infrastructure has started: if the platform was closed meanwhile (Ctrl-C during the start),
     * it is closed at once and the start ends, so nothing outlives the sandbox.
     */
    private synchronized <T extends AutoCloseable> T started(T resource) {
        if (closed) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing on the way out; the start ends below either way
            }
        }
        ensureOpen();
        return resource;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the sandbox is stopping");
        }
    }

    /**
     * On a real RabbitMQ: a user per service (the sandbox's password), then the topology and each
     * user's permissions in the virtual host ({@link BrokerDefinitions}) imported with {@code rabbitmqctl}
     * ({@code -Dsw.it.rabbitmqctl} names another one), as an operator provisions production.
     */
    private void provisionBroker() {
        for (String service : Topology.BROKER_SERVICES) {
            String user = Topology.brokerUser(service);
            String password = EmbeddedBroker.sandboxPassword(user);
            Rabbitmqctl.ensureUser(user, password);
        }
        try {
            // rabbitmqctl reads it as the broker's own OS user: readable to all (it holds no secret)
            Path definitions = Files.createTempFile("sw-broker-", ".json");
            Files.setPosixFilePermissions(definitions, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.writeString(definitions, BrokerDefinitions.json(options.amqpVhost(), Map.of()));
                Rabbitmqctl.run("import_definitions", definitions.toString());
            } finally {
                Files.deleteIfExists(definitions);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The database role of a service: {@code sw_<service>}. */
    public static String databaseRole(String service) {
        return "sw_" + service;
    }

    /**
     * A database role per service ({@code sw_<service>}, the sandbox's password) that owns the service's
     * schema and everything in it, and nothing else: no other schema is readable to it (each is owned by
     * its own service's role; PostgreSQL grants no usage on another's schema), and it may not create
     * schemas. Made as production's operator makes them (compose's {@code infra/postgres/init.sh}, the
     * chart's managed roles); a schema and tables left by an earlier run are handed over.
     */
    private void provisionDatabase() {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "");
             java.sql.Statement sql = connection.createStatement()) {
            // nobody but the owner creates schemas, nor tables in public (PostgreSQL before 15 lets anyone)
            sql.execute("revoke create on database " + connection.getCatalog() + " from public");
            sql.execute("revoke create on schema public from public");
            for (String service : Topology.BROKER_SERVICES) {
                String role = databaseRole(service);
                sql.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + role + "') then "
                        + "create role " + role + " login; end if; end $$");
                sql.execute("alter role " + role + " login password 'sandbox-" + role + "-db'");
                sql.execute("create schema if not exists " + service + " authorization " + role);
                sql.execute("alter schema " + service + " owner to " + role);
                // tables first (their serial and identity sequences follow), then standalone sequences
                sql.execute("""
                        do $$ declare o record; begin
                          for o in select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                                   where n.nspname = '%1$s' and c.relkind in ('r', 'p', 'v', 'm', 'S')
                                     and pg_get_userbyid(c.relowner) <> '%2$s'
                                   order by c.relkind = 'S' loop
                            if o.relkind = 'S' then
                              if exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                                         where n.nspname = '%1$s' and c.relname = o.relname
                                           and pg_get_userbyid(c.relowner) <> '%2$s') then
                                execute format('alter sequence %%I.%%I owner to %%I', '%1$s', o.relname, '%2$s');
                              end if;
                            elsif o.relkind in ('v', 'm') then
                              execute format('alter %%s %%I.%%I owner to %%I', case o.relkind when 'v' then 'view'
                                else 'materialized view' end, '%1$s', o.relname, '%2$s');
                            else
                              execute format('alter table %%I.%%I owner to %%I', '%1$s', o.relname, '%2$s');
                            end if;
                          end loop;
                        end $$""".formatted(service, role));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot provision the services' database roles on " + jdbcUrl
                    + " (as postgres): " + e.getMessage(), e);
        }
    }

    private Path jar(String service) {
        Path dir = service.equals("gateway") || service.equals("console") ? options.home().resolve(service)
                : options.home().resolve("services").resolve(service);
        return dir.resolve("target").resolve("sw-" + service + "-exec.jar");
    }

    /** Start (or restart) one service's JVM. */
    public void startService(String service) {
        startService(service, Map.of());
    }

    /**
     * Start another instance of a service ({@code customs#2}, ...): a competing consumer on the same
     * queues and database, as a scaled-out deployment runs it, on ports {@code 20 * (instance - 1)} above
     * the first instance's. The gateway and the agencies keep calling the first instance over HTTP.
     *
     * @return the instance's name (for {@link #kill}, {@link #startService}, {@link #httpPort})
     */
    public String startInstance(String service, int instance) {
        if (!Topology.BROKER_SERVICES.contains(service) || instance < 2) {
            throw new IllegalArgumentException("a second, third... instance of the window or an agency");
        }
        String name = service + "#" + instance;
        startService(name);
        return name;
    }

    /** Start (or restart) one service's JVM with some environment variables changed (e.g. to test a misconfiguration). */
    public synchronized void startService(String name, Map<String, String> overrides) {
        ensureOpen();
        String service = baseName(name);
        String java = ProcessHandle.current().info().command().orElse("java");
        int port = httpPort(name);
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options.jvmOptions());
        command.addAll(List.of("-jar", jar(service).toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(name).toFile()));
        Map<String, String> env = builder.environment();
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("MANAGEMENT_SERVER_PORT", Integer.toString(port + 1000));
        // the sandbox is for this machine only: nothing listens on other interfaces
        env.put("SERVER_ADDRESS", "127.0.0.1");
        env.put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
        env.put("SW_ENV", options.embedded() ? "sandbox" : "local");
        env.put("SW_SECURITY_ISSUER_URI", issuer);
        // the realm file's demo secret of this service's client (sw-<service>); local use only
        env.put("SW_SECURITY_CLIENT_SECRET", "sandbox-" + service + "-secret");
        if (service.equals("console")) {
            // the console calls the API through the gateway, as a browser's app would; plain HTTP here
            env.put("SW_CONSOLE_GATEWAYURL", gateway().toString());
            env.put("SW_CONSOLE_SECURECOOKIE", "false");
        } else if (service.equals("gateway")) {
            for (String target : SERVICES.keySet()) {
                if (!target.equals("gateway")) {
                    env.put("SW_SERVICES_" + target.toUpperCase(Locale.ROOT), "http://127.0.0.1:" + httpPort(target));
                }
            }
        } else {
            env.put("SPRING_RABBITMQ_HOST", amqpHost);
            env.put("SPRING_RABBITMQ_PORT", Integer.toString(amqpPort));
            env.put("SPRING_RABBITMQ_VIRTUAL_HOST", options.amqpVhost());
            // each service its own broker user (the user-id its messages carry, checked by their consumers)
            String brokerUser = Topology.brokerUser(service);
            env.put("SPRING_RABBITMQ_USERNAME", brokerUser);
            env.put("SPRING_RABBITMQ_PASSWORD", EmbeddedBroker.sandboxPassword(brokerUser));
            // on RabbitMQ the users may not configure the topology: it is provisioned (provisionBroker)
            env.put("SW_MESSAGING_TOPOLOGY", options.embedded() ? "declare" : "verify");
            env.put("SPRING_DATASOURCE_URL", jdbcUrl);
            // its own database role, owner of its schema and of nothing else (provisionDatabase)
            env.put("SPRING_DATASOURCE_USERNAME", databaseRole(service));
            env.put("SPRING_DATASOURCE_PASSWORD", "sandbox-" + databaseRole(service) + "-db");
            // the agencies call the declaration service (the gateway gets every address above)
            env.put("SW_SERVICES_DECLARATION", "http://127.0.0.1:" + httpPort("declaration"));
            // the window hands on to logistics what its CEB door takes for it (CEB711, CEB513)
            env.put("SW_SERVICES_LOGISTICS", "http://127.0.0.1:" + httpPort("logistics"));
        }
        if (service.equals("declaration")) {
            // webhooks may reach this machine's own receivers (a demo or test endpoint); elsewhere loopback and
            // private addresses are refused
            env.put("SW_WEBHOOKS_ALLOWEDNETWORKS_0", "127.0.0.0/8");
            env.put("SW_WEBHOOKS_ALLOWEDNETWORKS_1", "::1/128");
        }
        if (service.equals("tax")) {
            // the demo withholding agents' guarantee accounts (sandbox demo data, like the realm's demo users): the
            // platform, the e-commerce enterprise the samples sell for, and the enterprise that sells its own goods
            env.put("SW_TAX_OPENINGBALANCES_4101960001", "10000000.00");
            env.put("SW_TAX_OPENINGBALANCES_4101960002", "10000000.00");
            env.put("SW_TAX_OPENINGBALANCES_4101960099", "10000000.00");
        }
        if (service.equals("forex")) {
            // the demo rate feed; Sandbox --rates=URL (an env override) points forex at a real provider
            env.put("SW_FOREX_RATES_URL", rateFeed.url());
        }
        if (service.equals("inspection")) {
            // no random sampling unless asked for (Sandbox --sampling): tests and demos are not held at random
            env.put("SW_INSPECTION_SAMPLING", "false");
        }
        if (service.equals("logistics")) {
            // the demo bonded warehouse's stock of the sample item (sandbox demo data)
            env.put("SW_LOGISTICS_OPENINGSTOCK_0_WAREHOUSECODE", "ZZBW01");
            env.put("SW_LOGISTICS_OPENINGSTOCK_0_OWNERCODE", "4101960002");
            env.put("SW_LOGISTICS_OPENINGSTOCK_0_ITEMRECORDNO", "ZZ1210A0001");
            env.put("SW_LOGISTICS_OPENINGSTOCK_0_QUANTITY", "10000000");
        }
        env.putAll(options.env().getOrDefault("*", Map.of()));
        env.putAll(options.env().getOrDefault(service, Map.of()));
        env.putAll(overrides);
        try {
            processes.put(name, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private static String baseName(String name) {
        int hash = name.indexOf('#');
        return hash < 0 ? name : name.substring(0, hash);
    }

    private static int instanceOf(String name) {
        int hash = name.indexOf('#');
        return hash < 0 ? 1 : Integer.parseInt(name.substring(hash + 1));
    }

    /** Where every service's log is written. */
    public Path logDir() {
        return options.logDir();
    }

    private Path logFile(String name) {
        return options.logDir().resolve(name.replace('#', '-') + ".log");
    }

    /** Kill a service's JVM at once (SIGKILL), as a crash would. */
    public void kill(String service) {
        Process process = processes.remove(service);
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The HTTP port of a service or of an instance ({@code customs#2}); its management port is 1000 above. */
    public int httpPort(String name) {
        return options.basePort() + SERVICES.get(baseName(name)) + 20 * (instanceOf(name) - 1);
    }

    public URI gateway() {
        return URI.create("http://127.0.0.1:" + httpPort("gateway"));
    }

    /** The embedded issuer when the platform runs one (null with an external Keycloak). */
    public EmbeddedIssuer embeddedIssuer() {
        return embeddedIssuer;
    }

    /** The realm issuer the platform trusts ({@code .../realms/single-window}). */
    public String issuer() {
        return issuer;
    }

    public String amqpHost() {
        return amqpHost;
    }

    public int amqpPort() {
        return amqpPort;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        processes.forEach((name, p) -> pids.put(name, p.pid()));
        return pids;
    }

    /** The services started so far, as they are now (close() may empty the map meanwhile). */
    private synchronized List<Map.Entry<String, Process>> running() {
        return List.copyOf(processes.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
    }

    /** Wait until every running service answers ready on its management port. */
    public void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var entry : running()) {
            String service = entry.getKey();
            URI health = URI.create("http://127.0.0.1:" + (httpPort(service) + 1000) + "/actuator/health/readiness");
            while (true) {
                ensureOpen();   // Ctrl-C while waiting: the services are being stopped, the start has failed
                if (!entry.getValue().isAlive()) {
                    throw new IllegalStateException(service + " exited with code " + entry.getValue().exitValue()
                            + "; see " + logFile(service) + "\n" + tail(service));
                }
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + service, e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(service + " was not ready within " + timeout.toSeconds() + " s\n" + tail(service));
                }
                sleep(Duration.ofMillis(250));
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String tail(String service) {
        try {
            List<String> lines = Files.readAllLines(logFile(service));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        // services first (they drain and stop consuming), then the infrastructure
        processes.values().forEach(Process::destroy);
        for (Process process : processes.values()) {
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        // a second close (a shutdown hook after a normal end) finds nothing left to close
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
        if (rateFeed != null) {
            rateFeed.close();
            rateFeed = null;
        }
        if (embeddedIssuer != null) {
            embeddedIssuer.close();
            embeddedIssuer = null;
        }
    }
}

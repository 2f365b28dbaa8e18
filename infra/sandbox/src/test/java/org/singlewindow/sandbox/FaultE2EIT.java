package org.singlewindow.sandbox;

import org.singlewindow.contract.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Samples;
import org.singlewindow.infra.embedded.TestInfrastructure;
import org.singlewindow.infra.embedded.Tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Nothing lost, nothing done twice, across the faults a production platform meets. While a few thousand
 * declarations flow, the suite kills the declaration service ({@code kill -9}) at a moment its outbox
 * holds unsent rows, restarts RabbitMQ, kills an agency ({@code kill -9}) and starts it again, and
 * stops PostgreSQL for a few seconds. The enterprise's client behaves as the API asks: it retries a
 * refused or failed submission with the same {@code Idempotency-Key}. Then, from the databases and the
 * API: every accepted declaration has a final status, exactly one acknowledgement, one decision and
 * one settlement per agency, and every ledger and stock account shows exactly one effect per
 * declaration (each balance equals its opening value moved by the declarations' effects, once).
 *
 * <p>Real infrastructure only ({@code -Dsw.it.infra=real}, CI's second pass), as root: it runs
 * {@code rabbitmqctl shutdown}, {@code rabbitmq-server -detached} and {@code pg_ctlcluster}. It has
 * its own platform (port 19080), virtual host and database, and a failsafe execution of its own, so
 * that no other end-to-end test shares a broker it restarts. {@code -Dsw.fault.declarations=N} sets
 * how many declarations flow (default 2,400); {@code -Dsw.fault.instances=2} runs a second instance of
 * the window and of every agency (competing consumers, as a scaled-out deployment; the faults hit the
 * first instances). Bounded: every wait has a deadline, and the test times out after 25 minutes.
 */
class FaultE2EIT {

    private static final int DECLARATIONS = Integer.getInteger("sw.fault.declarations", 2400);
    /** Submissions per second: the flow lasts long enough for all four faults to land in it. */
    private static final int RATE = Integer.getInteger("sw.fault.rate", 20);
    /** Instances of the window and of every agency: 2 runs them scaled out, competing consumers on the same queues. */
    private static final int INSTANCES = Integer.getInteger("sw.fault.instances", 1);
    private static final BigDecimal OPENING = new BigDecimal("10000000");

    private static TestInfrastructure infra;
    private static Platform platform;
    private static Tokens tokens;
    /** The first submission that gave up (a refusal, or retries exhausted), reported at once. */
    private static final java.util.concurrent.atomic.AtomicReference<Throwable> clientFailure = new java.util.concurrent.atomic.AtomicReference<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @BeforeAll
    static void start() {
        assumeTrue(E2EPlatform.real(), "the fault suite restarts RabbitMQ and PostgreSQL: it runs against real servers "
                + "(-Dsw.it.infra=real, CI's second pass)");
        Path home = Path.of(System.getProperty("sw.home", "../..")).toAbsolutePath().normalize();
        infra = TestInfrastructure.start();
        platform = new Platform(new Platform.Options(home, Integer.getInteger("sw.fault.port", 19080), false,
                infra.amqpHost(), infra.amqpPort(), infra.virtualHost(), infra.jdbcUrl(), home.resolve("infra/sandbox/target/fault-logs"))
                .withIssuer(E2EPlatform.keycloak() ? System.getProperty("sw.e2e.issuer") : null)
                // the suite's bursts of submissions go beyond the default quota of 200 requests a second
                .withEnv("gateway", Map.of("SW_GATEWAY_RATELIMIT_OVERRIDES_" + E2EPlatform.ENTERPRISE_A, "100000000")))
                .start(Duration.ofMinutes(5));
        for (int instance = 2; instance <= INSTANCES; instance++) {
            for (String service : Topology.BROKER_SERVICES) {
                platform.startInstance(service, instance);
            }
        }
        platform.awaitReady(Duration.ofMinutes(5));
        tokens = new Tokens(platform.issuer());
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void everyAcceptedDeclarationIsDecidedOnceByEveryAgencyAcrossCrashesAndOutages() throws Exception {
        Map<Integer, String> accepted = new ConcurrentHashMap<>();
        AtomicInteger retries = new AtomicInteger();
        List<String> faults = new ArrayList<>();
        String run = Long.toString(System.currentTimeMillis(), 36);

        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> submitter = clients.submit(() -> submitAll(run, accepted, retries, clients));

            awaitAccepted(accepted, 150, submitter);
            faults.add(killDeclarationServiceWithUnsentOutboxRows());
            awaitProgress(accepted, 150, submitter);
            faults.add(restartRabbitMq());
            awaitProgress(accepted, 150, submitter);
            faults.add(killAndRestart("customs"));
            awaitProgress(accepted, 150, submitter);
            faults.add(postgresUnavailable(Duration.ofSeconds(5)));

            submitter.get(15, TimeUnit.MINUTES);
        }

        // every accepted declaration reaches a final status (deadline: ten minutes after the last submission)
        Set<UUID> ids = new java.util.HashSet<>();
        accepted.values().forEach(id -> ids.add(UUID.fromString(id)));
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        int finals;
        while ((finals = count("select count(*) from declaration.declaration where id = any(?) and final_at is not null"
                + " and follow_ups_completed_at is not null", ids)) < ids.size() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
        }

        Map<String, Long> report = verify(ids);
        report.put("accepted", (long) ids.size());
        report.put("final", (long) finals);
        report.put("submissionRetries", (long) retries.get());
        System.out.println("fault suite (" + INSTANCES + " instance(s) of the window and every agency): faults " + faults
                + "\nfault suite: counts " + report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of(INSTANCES > 1 ? "target/fault-suite-scaled-out-report.json" : "target/fault-suite-report.json"),
                Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("faults", faults, "counts", report)));

        assertThat(ids).as("declarations accepted while the faults happened").hasSizeGreaterThanOrEqualTo(2000);
        assertThat(accepted).as("every submission accepted in the end").hasSize(DECLARATIONS);
        assertThat(report.get("lost")).as("accepted but without a final outcome and its follow-ups").isZero();
        assertThat(report.get("receiptAnomalies")).as("(declaration, agency, kind) without exactly one receipt").isZero();
        assertThat(report.get("duplicatedEffects")).as("ledger or stock movements written twice").isZero();
        assertThat(report.get("balanceMismatches")).as("accounts whose balance is not opening ± effects").isZero();
        assertThat(report.get("effectRecordMismatches")).as("agency records not one per declaration").isZero();
    }

    // ------------------------------------------------------------------ load

    private void submitAll(String run, Map<Integer, String> accepted, AtomicInteger retries, ExecutorService clients) {
        List<Future<?>> sends = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < DECLARATIONS; i++) {
            long due = start + i * (1_000_000_000L / RATE);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            int n = i;
            sends.add(clients.submit(() -> {
                try {
                    return submitUntilAccepted(run, n, accepted, retries);
                } catch (Throwable t) {
                    clientFailure.compareAndSet(null, t);
                    throw t;
                }
            }));
        }
        for (Future<?> send : sends) {
            try {
                send.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("a client gave up: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * As the API asks of a client: a 5xx, a 429 or a broken connection is retried with the same
     * Idempotency-Key, after the Retry-After it names or a pause that doubles up to 8 s.
     */
    private Void submitUntilAccepted(String run, int n, Map<Integer, String> accepted, AtomicInteger retries) throws Exception {
        String key = run + String.format("%06d", n);
        String body = Throughput.variant(Samples.declaration(), run, n).toString();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        Duration pause = Duration.ofMillis(500);
        String lastFailure = "none";
        while (true) {
            try {
                String token = tokens.fresh("enterprise-a");
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(platform.gateway().resolve("/api/v1/declarations"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "fault-" + key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 202 || status == 200) {
                    accepted.put(n, Json.mapper().readTree(response.body()).get("id").asString());
                    return null;
                }
                if (status < 500 && status != 429) {
                    throw new AssertionError("declaration " + n + " refused: " + status + " " + response.body());
                }
                lastFailure = status + " " + response.body();
                // as asked: after Retry-After seconds when the answer says so
                pause = response.headers().firstValue("Retry-After").map(v -> Duration.ofSeconds(Long.parseLong(v)))
                        .orElse(pause);
            } catch (IOException | UncheckedIOException | IllegalStateException e) {
                // the gateway or a connection went away, or the issuer did not answer for a token: retry
                lastFailure = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("declaration " + n + " not accepted within 5 minutes of retries; last: " + lastFailure);
            }
            retries.incrementAndGet();
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(8)) > 0 ? Duration.ofSeconds(8) : pause.multipliedBy(2);
        }
    }

    /** Waits until this many are accepted; a client that gave up fails the test with its own reason. */
    private static void awaitAccepted(Map<Integer, String> accepted, int atLeast, Future<?> submitter) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (accepted.size() < atLeast) {
            if (clientFailure.get() != null) {
                throw new AssertionError("a client gave up: " + clientFailure.get().getMessage(), clientFailure.get());
            }
            if (submitter.isDone()) {
                submitter.get(); // throws the client's failure; returns if all were submitted
                if (accepted.size() < atLeast) {
                    throw new AssertionError("the submitter ended with only " + accepted.size() + " accepted");
                }
            }
            assertThat(System.nanoTime()).as("%d declarations accepted within 3 minutes (%d so far)", atLeast, accepted.size())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Lets the flow run on (and the platform recover) between two faults. */
    private static void awaitProgress(Map<Integer, String> accepted, int more, Future<?> submitter) throws Exception {
        awaitAccepted(accepted, Math.min(DECLARATIONS, accepted.size() + more), submitter);
    }

    // ------------------------------------------------------------------ faults

    /**
     * Freezes the declaration service ({@code SIGSTOP}) and looks at its outbox: rows there are committed
     * and not yet confirmed by the broker. With some there, {@code kill -9}; otherwise it thaws it and
     * looks again a moment later.
     */
    private String killDeclarationServiceWithUnsentOutboxRows() throws Exception {
        long pid = platform.pids().get("declaration");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int looks = 0;
        try (Connection db = db()) {
            while (System.nanoTime() < deadline) {
                looks++;
                run("kill", "-STOP", Long.toString(pid));
                long unsent = scalar(db, "select count(*) from declaration.outbox");
                if (unsent > 0) {
                    platform.kill("declaration");
                    long left = scalar(db, "select count(*) from declaration.outbox");
                    platform.startService("declaration");
                    platform.awaitReady(Duration.ofMinutes(3));
                    return "kill -9 declaration with " + left + " unsent outbox rows (after " + looks + " looks)";
                }
                run("kill", "-CONT", Long.toString(pid));
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the declaration service's outbox was empty at each of " + looks + " looks in 2 minutes");
    }

    private String restartRabbitMq() throws Exception {
        long start = System.nanoTime();
        run("rabbitmqctl", "shutdown");
        run("rabbitmq-server", "-detached");
        // the node registers a moment after -detached returns; until then await_startup fails at once
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!succeeds("rabbitmqctl", "await_startup", "--timeout", "60")) {
            assertThat(System.nanoTime()).as("RabbitMQ back within 2 minutes").isLessThan(deadline);
            Thread.sleep(1000);
        }
        return String.format("RabbitMQ restarted (down %.1f s)", (System.nanoTime() - start) / 1e9);
    }

    private String killAndRestart(String service) {
        platform.kill(service);
        try {
            Thread.sleep(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        platform.startService(service);
        platform.awaitReady(Duration.ofMinutes(3));
        return "kill -9 " + service + ", restarted 3 s later";
    }

    private String postgresUnavailable(Duration outage) throws Exception {
        String version = System.getProperty("sw.fault.pg.version", pgVersion());
        run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast");
        Thread.sleep(outage.toMillis());
        run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start");
        return "PostgreSQL " + version + " stopped for " + outage.toSeconds() + " s";
    }

    private static String pgVersion() throws IOException {
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            return versions.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("no cluster under /etc/postgresql"));
        }
    }

    private static boolean succeeds(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(2, TimeUnit.MINUTES) && process.exitValue() == 0;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    // ------------------------------------------------------------------ verification

    private Map<String, Long> verify(Set<UUID> ids) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection db = db()) {
            long complete = scalar(db, "select count(*) from declaration.declaration where id = any(?) and final_at is not null"
                    + " and follow_ups_completed_at is not null", ids);
            counts.put("cleared", scalar(db, "select count(*) from declaration.declaration where id = any(?) and status = 'CLEARED'", ids));
            counts.put("completed", complete);
            counts.put("lost", ids.size() - complete);
            // one acknowledgement, one decision, one settlement per agency and declaration
            counts.put("receiptAnomalies", scalar(db, """
                    select count(*) from (
                      select d.id, a.agency, k.kind, count(r.receipt_id) n
                      from unnest(?::uuid[]) d(id)
                      cross join (values ('CUSTOMS'), ('INSPECTION'), ('TAX'), ('FOREX'), ('LOGISTICS')) a(agency)
                      cross join (values ('ACKNOWLEDGEMENT'), ('DECISION'), ('SETTLEMENT')) k(kind)
                      left join declaration.receipt r on r.declaration_id = d.id and r.agency = a.agency and r.kind = k.kind
                      group by d.id, a.agency, k.kind) x where n <> 1""", ids));
            // a movement written twice for one declaration
            counts.put("duplicatedEffects",
                    scalar(db, "select count(*) from (select declaration_id, kind from tax.guarantee_movement where declaration_id = any(?)"
                            + " group by declaration_id, kind having count(*) > 1) x", ids)
                    + scalar(db, "select count(*) from (select declaration_id, item_record_no, kind from logistics.stock_movement"
                            + " where declaration_id = any(?) group by 1, 2, 3 having count(*) > 1) x", ids));
            // one record per declaration in each agency's ledger: reservation, bill, payment record
            long cleared = counts.get("cleared");
            counts.put("effectRecordMismatches",
                    Math.abs(scalar(db, "select count(*) from tax.ledger_entry where declaration_id = any(?) and state = 'COMMITTED'", ids) - cleared)
                    + Math.abs(scalar(db, "select count(*) from tax.tax_bill where declaration_id = any(?)", ids) - cleared)
                    + Math.abs(scalar(db, "select count(*) from forex.payment_record where declaration_id = any(?) and state = 'COMMITTED'", ids) - cleared)
                    + Math.abs(scalar(db, "select count(*) from logistics.stock_reservation where declaration_id = any(?) and state = 'DEDUCTED'", ids) - cleared));
            // each account equals its opening value moved by its movements; the guarantee holds exactly the open tax
            // of the cleared declarations (billed or due, not yet paid in their tax period) and nothing of the others
            long mismatches = 0;
            mismatches += scalar(db, """
                    select count(*) from tax.guarantee_account a where a.enterprise_id = ? and (
                      a.balance <> (select coalesce(sum(case kind when 'DEPOSIT' then amount when 'DEBIT' then -amount else 0 end), 0)
                                    from tax.guarantee_movement m where m.enterprise_id = a.enterprise_id)
                      or a.balance <> ?::numeric
                      or a.reserved <> (select coalesce(sum(case kind when 'RESERVE' then amount when 'RELEASE' then -amount else 0 end), 0)
                                        from tax.guarantee_movement m where m.enterprise_id = a.enterprise_id)
                      or a.reserved <> (select coalesce(sum(total - voided), 0) from tax.tax_assessment t
                                        where t.guarantor = a.enterprise_id and t.state in ('BILLED', 'DUE'))
                      or exists (select 1 from tax.tax_assessment t where t.guarantor = a.enterprise_id and t.state = 'ASSESSED'))""",
                    E2EPlatform.WITHHOLDING_AGENT, OPENING);
            mismatches += scalar(db, """
                    select count(*) from logistics.stock_account s where s.warehouse_code = 'ZZBW01' and s.item_record_no = 'ZZ1210A0001' and (
                      s.on_hand <> (select coalesce(sum(case kind when 'STOCK_IN' then quantity when 'DEDUCT' then -quantity else 0 end), 0)
                                    from logistics.stock_movement m where m.warehouse_code = s.warehouse_code and m.item_record_no = s.item_record_no)
                      or s.reserved <> 0
                      or s.on_hand <> ?::numeric - (select coalesce(sum(quantity), 0) from logistics.stock_reservation r
                                                  where r.warehouse_code = s.warehouse_code and r.item_record_no = s.item_record_no and r.state = 'DEDUCTED'))""",
                    OPENING);
            counts.put("balanceMismatches", mismatches);
        }
        return counts;
    }

    private static Connection db() throws SQLException {
        Properties user = new Properties();
        user.setProperty("user", "postgres");
        return DriverManager.getConnection(platform.jdbcUrl(), user);
    }

    private int count(String sql, Set<UUID> ids) throws SQLException {
        try (Connection db = db()) {
            return (int) scalar(db, sql, ids);
        } catch (SQLException e) {
            return 0; // PostgreSQL may still be coming back
        }
    }

    private static long scalar(Connection db, String sql, Object... parameters) throws SQLException {
        try (var statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object p = parameters[i];
                if (p instanceof Set<?> set) {
                    statement.setArray(i + 1, db.createArrayOf("uuid", set.toArray()));
                } else {
                    statement.setObject(i + 1, p);
                }
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

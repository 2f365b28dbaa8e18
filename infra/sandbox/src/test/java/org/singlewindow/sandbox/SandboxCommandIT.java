package org.singlewindow.sandbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.Json;
import org.singlewindow.infra.embedded.Tokens;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * README's first command ends in {@code java -jar infra/sandbox/target/sw-sandbox.jar}: this starts that very
 * jar in a JVM of its own, so its class path is the one the jar's manifest names ({@code target/lib}, this
 * module's runtime scope), not Maven's test class path — a dependency narrowed to test scope fails here.
 * It reaches {@code ready}, files the README's sample through the gateway and sees it cleared; stopped by
 * SIGTERM, or by SIGINT while still starting (Ctrl-C), it leaves no process behind and frees every port, and
 * a second start right after works. The embedded default only: the command has no other infrastructure.
 */
class SandboxCommandIT {

    /** Away from the other end-to-end tests' ports (18080 and up) and README's 8080. */
    private static final int PORT = 28080;
    private static final Pattern DATABASE = Pattern.compile("PostgreSQL jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern BROKER = Pattern.compile("AMQP broker +127\\.0\\.0\\.1:(\\d+)");

    private static Path home;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process sandbox;
    private final List<String> output = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void onlyOnTheEmbeddedDefault() {
        Assumptions.assumeFalse(E2EPlatform.real(), "the sandbox command runs on the embedded default only");
        home = Path.of(System.getProperty("sw.home", "../..")).toAbsolutePath().normalize();
    }

    @AfterEach
    void nothingLeftRunning() {
        if (sandbox != null && sandbox.isAlive()) {
            sandbox.descendants().forEach(ProcessHandle::destroyForcibly);
            sandbox.destroyForcibly();
        }
    }

    @Test
    void ctrlCWhileStartingStopsEverythingItStartedAndASecondStartFilesTheSample() throws Exception {
        // Ctrl-C while the services are coming up: everything started so far is stopped, every port freed
        List<ProcessHandle> databasesBefore = embeddedDatabases();
        start();
        await().atMost(Duration.ofMinutes(2)).until(() -> sandbox.descendants().count() >= 4);
        List<ProcessHandle> children = sandbox.descendants().toList();
        signal("INT");
        assertThat(sandbox.waitFor(60, TimeUnit.SECONDS)).as("the sandbox exits after Ctrl-C\n%s", log()).isTrue();
        assertThat(children).as("its service JVMs").noneMatch(ProcessHandle::isAlive);
        awaitGone(databasesBefore);
        assertThat(output).contains("Single Window sandbox: stopped before it was ready");
        assertThat(output).as("it never reached ready").doesNotContain("ready");
        awaitPortsFree(fixedPorts());

        // a second start right after: ready, and the README's sample through the gateway is cleared
        start();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> output.contains("ready") || !sandbox.isAlive());
        assertThat(output).as("the sandbox is ready\n%s", log()).contains("ready");
        List<Integer> ports = new ArrayList<>(fixedPorts());
        ports.add(found(DATABASE));
        ports.add(found(BROKER));

        String token = new Tokens("http://127.0.0.1:" + (PORT + 100) + "/realms/single-window").user("enterprise-a");
        HttpResponse<String> filed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/api/v1/declarations"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", "demo-1")
                .POST(HttpRequest.BodyPublishers.ofFile(home.resolve("infra/samples/declaration.json"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(202);
        URI location = URI.create("http://127.0.0.1:" + PORT).resolve(filed.headers().firstValue("Location").orElseThrow());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(location).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            return read.statusCode() == 200 && "CLEARED".equals(Json.mapper().readTree(read.body()).path("status").asString());
        });

        // SIGTERM (what a service manager sends): every child stopped, the embedded broker and database too
        children = sandbox.descendants().toList();
        assertThat(children).hasSizeGreaterThanOrEqualTo(Platform.SERVICES.size());
        sandbox.destroy();
        assertThat(sandbox.waitFor(90, TimeUnit.SECONDS)).as("the sandbox exits after SIGTERM\n%s", log()).isTrue();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        awaitGone(databasesBefore);
        awaitPortsFree(ports);
    }

    /** Its embedded PostgreSQL (a daemon of its own, not a child) stops within seconds of the sandbox's exit. */
    private static void awaitGone(List<ProcessHandle> databasesBefore) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(embeddedDatabases()).as("the sandbox's embedded PostgreSQL").isSubsetOf(databasesBefore));
    }

    /** The embedded PostgreSQL servers running now (pg_ctl starts them as daemons of their own). */
    private static List<ProcessHandle> embeddedDatabases() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .filter(line -> line.contains("/embedded-pg/") && line.contains("/bin/postgres ")).isPresent()).toList();
    }

    @Test
    void aStartThatCannotCompleteExitsAtOnceSayingWhatToDo() throws Exception {
        // the issuer's port is held by someone else: one line names it and what to do, exit 1, nothing left
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT + 100));
            start();
            assertThat(sandbox.waitFor(60, TimeUnit.SECONDS)).as("the sandbox gives up\n%s", log()).isTrue();
            assertThat(sandbox.exitValue()).isEqualTo(1);
            assertThat(output).anySatisfy(line -> assertThat(line)
                    .startsWith("Single Window sandbox could not start: port " + (PORT + 100) + " on 127.0.0.1 is in use")
                    .contains("--port=N"));
            assertThat(sandbox.descendants().toList()).isEmpty();
        }
    }

    private void start() throws IOException {
        output.clear();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = home.resolve("infra/sandbox/target/sw-sandbox.jar");
        assertThat(jar).as("package ran before the integration tests").isRegularFile();
        sandbox = new ProcessBuilder(java, "-jar", jar.toString(), "--home=" + home, "--port=" + PORT)
                .redirectErrorStream(true)
                .start();
        Process process = sandbox;
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "sandbox-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(sandbox.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private int found(Pattern pattern) {
        return output.stream().map(pattern::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + pattern + " in\n" + log()));
    }

    private static List<Integer> fixedPorts() {
        return Platform.fixedPorts(PORT, true);
    }

    private static void awaitPortsFree(List<Integer> ports) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(ports).as("ports still in use").noneMatch(Platform::inUse));
    }

    private String log() {
        return String.join("\n", output.subList(Math.max(0, output.size() - 30), output.size()));
    }
}

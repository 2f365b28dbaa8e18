package org.singlewindow.bench;

import org.singlewindow.contract.Topology;
import org.singlewindow.infra.embedded.TestInfrastructure;
import org.singlewindow.infra.embedded.Tokens;
import org.singlewindow.sandbox.Platform;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./mvnw install -DskipTests && ./mvnw -Pbench package -pl bench} ends here: starts the whole platform (every service its own
 * JVM, server JIT settings), measures the raw broker pattern on the platform's broker, then drives
 * realistic declarations through the gateway — a warm-up, a closed-loop run for the most it sustains,
 * and a fixed-rate run for latency — and writes {@code bench/results/latest.{json,svg,html}}.
 *
 * <p>Options ({@code -Dbench.args="..."}): {@code --infra=embedded|real} (real: RabbitMQ and
 * PostgreSQL on 127.0.0.1, a fresh virtual host and database), {@code --issuer=URL} (a Keycloak realm
 * instead of the embedded issuer), {@code --port=28080}, {@code --warmup=3000} (C2 takes a few thousand declarations to settle), {@code --count=5000}
 * and {@code --concurrency=32} (closed loop), {@code --rate=R} (fixed rate per second; default half of
 * what the closed loop reached) and {@code --duration=60} (seconds), {@code --raw=20000} (raw broker
 * messages), {@code --jvm=quick|tiered|server} (the services' JVM options, see {@link #jvm}),
 * {@code --out=bench/results}, {@code --seed=20261129}, {@code --inflight=256} (closed loop: most
 * declarations submitted and not yet settled), {@code --idle=10} (seconds of idle baseline, subtracted
 * from every process's CPU), {@code --instances=1} (2: a second instance of the window and of every
 * agency, competing consumers on the same queues, as a scaled-out deployment runs them), {@code --repeat=3}
 * (each platform phase this many times; the median run is reported, every run's figures beside it),
 * {@code --profile=true} (a flame graph of every service during the last closed-loop run, {@code flames/}).
 *
 * <p>In one run: the raw patterns (one publish and five receipts on quorum and on classic queues, RabbitMQ; the
 * embedded broker has classic only; and the same flow as a declaration's), a warm-up, an idle baseline, the closed
 * loop at saturation, then fixed-rate phases at 25 %, 50 % and 75 % of what the median closed loop reached (or at
 * {@code --rate}), then the raw patterns again: every ratio is to the mean of their two runs. Each phase's CPU is
 * per declaration and per process, idle subtracted, from the first submit to the last settlement, and for the
 * whole machine ({@code /proc/stat}) gross and net of idle; the benchmark's own process (the load generator) is
 * reported on its own and in neither sum.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("home", ".", "infra", "embedded", "port", "28080",
                "warmup", "3000", "count", "5000", "concurrency", "32", "rate", "0", "duration", "60", "raw", "20000",
                "seed", "20261129"));
        o.put("inflight", "256");
        o.put("repeat", "3");
        o.put("profile", "true");
        o.put("instances", "1");
        o.put("idle", "10");
        o.put("jvm", "tiered");
        o.put("out", "bench/results");
        o.put("issuer", "");
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (!arg.startsWith("--") || kv.length != 2 || !o.containsKey(kv[0])) {
                System.err.println("unknown option " + arg + "; known: " + o.keySet().stream().map(k -> "--" + k + "=").toList());
                System.exit(2);
            }
            o.put(kv[0], kv[1]);
        }
        Path home = Path.of(o.get("home")).toAbsolutePath().normalize();
        boolean real = o.get("infra").equals("real");
        int port = Integer.parseInt(o.get("port"));

        int exitCode = 0;
        if (real) {
            // TestInfrastructure's switch: a fresh virtual host and database on the servers at 127.0.0.1
            System.setProperty("sw.it.infra", "real");
        }
        TestInfrastructure infra = real ? TestInfrastructure.start() : null;
        Platform.Options options = (real
                ? new Platform.Options(home, port, false, infra.amqpHost(), infra.amqpPort(), infra.virtualHost(),
                        infra.jdbcUrl(), home.resolve("bench/target/logs"))
                : new Platform.Options(home, port, true, null, 0, "/", null, home.resolve("bench/target/logs")))
                .withIssuer(o.get("issuer").isBlank() ? null : o.get("issuer"))
                .withJvmOptions(jvm(o.get("jvm")))
                // the load generator's enterprise has a load-test quota above the default 200 requests a second
                .withEnv("gateway", Map.of("SW_GATEWAY_RATELIMIT_OVERRIDES_" + Declarations.DECLARANT, "100000000"));
        System.out.println("bench: starting the platform (" + (real ? "RabbitMQ and PostgreSQL on 127.0.0.1" : "embedded broker and PostgreSQL")
                + "); service logs in " + home.relativize(options.logDir()));
        try (Platform platform = new Platform(options).start(Duration.ofMinutes(5));
             ProcessMonitor monitor = new ProcessMonitor()) {
            Runtime.getRuntime().addShutdownHook(new Thread(platform::close));
            int instances = Integer.parseInt(o.get("instances"));
            for (int instance = 2; instance <= instances; instance++) {
                for (String service : Topology.BROKER_SERVICES) {
                    platform.startInstance(service, instance);
                }
            }
            platform.awaitReady(Duration.ofMinutes(5));
            platform.pids().keySet().forEach(service -> monitor.add(service, () -> platform.pids().get(service)));
            if (real) {
                monitor.addByCommand("rabbitmq", c -> c.endsWith("/beam.smp"));
            }
            monitor.addByCommand("postgresql", c -> c.endsWith("/postgres"));
            monitor.add(real ? "bench client" : "bench client + embedded broker", () -> ProcessHandle.current().pid());

            Tokens tokens = new Tokens(platform.issuer());
            Gateway gateway = new Gateway(platform.gateway(), () -> tokens.fresh("enterprise-a"));
            String run = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("MMddHHmmss"));
            int warmup = Integer.parseInt(o.get("warmup"));
            int count = Integer.parseInt(o.get("count"));
            int concurrency = Integer.parseInt(o.get("concurrency"));
            int seconds = Integer.parseInt(o.get("duration"));
            gateway.stockIn(run, 10_000_000);
            Declarations declarations = new Declarations(Long.parseLong(o.get("seed")), Math.max(2000, (warmup + count) / 2), run,
                    gateway::quote);

            byte[] payload = declarations.next(-1).toString().getBytes(StandardCharsets.UTF_8);
            int rawMessages = Integer.parseInt(o.get("raw"));
            RawPatterns raws = new RawPatterns(platform, real ? infra.virtualHost() : "/", real, payload, rawMessages, monitor);
            // the raw patterns right before the platform's phases, and again right after: the ratios are to their mean
            raws.measure(real ? List.of("quorum", "classic", "flow") : List.of("classic", "flow"));

            Map<String, java.net.URI> serviceMetrics = new LinkedHashMap<>();
            platform.pids().keySet().forEach(service -> serviceMetrics.put(service,
                    java.net.URI.create("http://127.0.0.1:" + (platform.httpPort(service) + 1000) + "/actuator/prometheus")));
            SystemCounters counters = new SystemCounters(platform.jdbcUrl(),
                    real ? java.net.URI.create("http://127.0.0.1:15692/metrics") : null, serviceMetrics);
            counters.enableStatementCounts();
            try (WindowProbe probe = new WindowProbe(platform.jdbcUrl())) {
                PlatformLoad load = new PlatformLoad(gateway, declarations, monitor, probe, counters);
                Duration settle = Duration.ofMinutes(10);
                int inFlight = Integer.parseInt(o.get("inflight"));
                System.out.println(PlatformLoad.summary(load.closedLoop("warm-up", concurrency, inFlight, warmup, settle)));
                // what the processes burn doing nothing (pollers, gauges, the JVMs), subtracted from every phase
                monitor.begin();
                Thread.sleep(Duration.ofSeconds(Long.parseLong(o.get("idle"))));
                Map<String, ProcessMonitor.Usage> idle = monitor.end();
                ProcessMonitor.Usage idleMachine = monitor.machine();
                int repeat = Integer.parseInt(o.get("repeat"));
                List<PlatformLoad.Result> phases = new ArrayList<>();
                Map<String, List<PlatformLoad.Result>> runs = new LinkedHashMap<>();
                List<PlatformLoad.Result> closedRuns = new ArrayList<>();
                Profiles profiles = Boolean.parseBoolean(o.get("profile")) ? new Profiles(home.resolve("bench/target/jfr")) : null;
                List<Path> flames = List.of();
                for (int i = 1; i <= repeat; i++) {
                    // the last run is recorded for the flame graphs (the recording costs the services a little CPU)
                    boolean record = profiles != null && i == repeat;
                    if (record) {
                        profiles.start(platform.pids());
                        monitor.atNextEnd(profiles::stop);
                    }
                    closedRuns.add(load.closedLoop("closed loop", concurrency, inFlight, count, settle));
                    System.out.println(PlatformLoad.summary(closedRuns.getLast()) + runOf(i, repeat));
                    if (record) {
                        flames = profiles.draw(home.resolve(o.get("out")), String.format(Locale.ROOT,
                                "closed loop, run %d of %d, %d declarations", i, repeat, count));
                    }
                }
                // this run's saturation: the median closed loop
                PlatformLoad.Result closed = median(closedRuns, PlatformLoad.Result::throughput);
                phases.add(closed);
                runs.put(closed.name(), closedRuns);
                double given = Double.parseDouble(o.get("rate"));
                List<Double> rates = given > 0 ? List.of(given)
                        : List.of(0.25, 0.5, 0.75).stream().map(f -> Math.max(1, Math.floor(closed.throughput() * f))).toList();
                for (double rate : rates) {
                    String name = given > 0 ? "fixed rate" : "fixed rate " + Math.round(100 * rate / closed.throughput()) + " %";
                    List<PlatformLoad.Result> fixedRuns = new ArrayList<>();
                    for (int i = 1; i <= repeat; i++) {
                        fixedRuns.add(load.fixedRate(name, rate, Duration.ofSeconds(seconds), settle));
                        System.out.println(PlatformLoad.summary(fixedRuns.getLast()) + runOf(i, repeat));
                    }
                    PlatformLoad.Result fixed = median(fixedRuns, r -> Report.platformCpuMsPerDeclaration(r, idle, real));
                    phases.add(fixed);
                    runs.put(name, fixedRuns);
                }
                raws.measure(real ? List.of("quorum", "flow") : List.of("classic", "flow"));
                printProcesses(phases, idle, idleMachine, real);
                report(o, args, real, home, raws, closed, phases, runs, idle, idleMachine, flames);
                long failed = phases.stream().mapToLong(p -> p.submitted() - p.accepted() + p.unsettled()).sum();
                if (failed > 0) {
                    System.err.println("bench: " + failed + " declarations were refused, failed or never became final (see above)");
                    exitCode = 1;
                }
            }
        } finally {
            if (infra != null) {
                infra.close();
            }
        }
        System.exit(exitCode);
    }

    private static void report(Map<String, String> o, String[] args, boolean real, Path home, RawPatterns raws,
                               PlatformLoad.Result closed, List<PlatformLoad.Result> phases,
                               Map<String, List<PlatformLoad.Result>> runs, Map<String, ProcessMonitor.Usage> idle,
                               ProcessMonitor.Usage idleMachine, List<Path> flames) throws IOException {
        Map<String, Object> machine = machine(real, raws.broker(), jvm(o.get("jvm")));
        List<String> given = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--home=")).toList();
        String command = "./mvnw -Pbench package -pl bench" + (given.isEmpty() ? "" : " -Dbench.args=\"" + String.join(" ", given) + "\"");
        ObjectNode result = Report.json(machine, raws, phases, runs, command, idle, idleMachine, real);
        result.put("at", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        Path out = home.resolve(o.get("out"));
        var flameGraphs = result.putArray("flameGraphs");
        flames.forEach(f -> flameGraphs.add(out.relativize(f).toString()));
        Report.write(out, result);
        RawPatterns.Pair raw = raws.first();
        RawPatterns.Pair flow = raws.get("flow");
        double platformCpu = Report.platformCpuMsPerDeclaration(closed, idle, real);
        System.out.printf(Locale.ROOT, "%nplatform %.1f declarations/s = %.3f x the raw broker pattern (%.1f messages/s, %s queues)"
                        + " = %.3f x the raw pattern of the same flow (%.1f flows/s)%n"
                        + "platform CPU %.2f ms per declaration = %.1f x the raw pattern's %.2f ms per message = %.1f x its %.2f ms per flow%n"
                        + "whole machine, load generator excluded: %.2f ms per declaration, %.2f net of idle%n"
                        + "results: %s/latest.json, latest.svg, latest.html%n",
                closed.throughput(), closed.throughput() / raw.throughput(), raw.throughput(), raw.before().queueType(),
                closed.throughput() / flow.throughput(), flow.throughput(),
                platformCpu, platformCpu / raw.cpuMs(), raw.cpuMs(), platformCpu / flow.cpuMs(), flow.cpuMs(),
                Report.machineCpuMsPerDeclaration(closed, null, idle), Report.machineCpuMsPerDeclaration(closed, idleMachine, idle),
                home.relativize(out));
    }

    /** The run whose {@code key} is the median of the runs'. */
    static PlatformLoad.Result median(List<PlatformLoad.Result> runs, java.util.function.ToDoubleFunction<PlatformLoad.Result> key) {
        List<PlatformLoad.Result> sorted = runs.stream().sorted(java.util.Comparator.comparingDouble(key)).toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String runOf(int i, int repeat) {
        return repeat > 1 ? String.format(Locale.ROOT, "%n  (run %d of %d)", i, repeat) : "";
    }

    /**
     * The services' JVM options: {@code quick} (the sandbox's: C1 only, serial GC, 384 MB heaps), {@code tiered} (the
     * same with both compilers: C2 against C1 alone, nothing else changed) or {@code server} (C2, parallel GC, 512 MB).
     */
    static java.util.List<String> jvm(String name) {
        return switch (name) {
            case "server" -> Platform.Options.SERVER_JVM;
            case "quick" -> Platform.Options.QUICK_START_JVM;
            case "tiered" -> Platform.Options.QUICK_START_JVM.stream().filter(option -> !option.startsWith("-XX:TieredStopAtLevel")).toList();
            default -> throw new IllegalArgumentException("--jvm=quick, --jvm=tiered or --jvm=server, not " + name);
        };
    }

    private static void printProcesses(List<PlatformLoad.Result> phases, Map<String, ProcessMonitor.Usage> idle,
                                       ProcessMonitor.Usage idleMachine, boolean real) {
        for (PlatformLoad.Result p : phases) {
            System.out.println("processes during " + p.name() + " (CPU seconds, cores busy on average, idle cores, "
                    + "CPU ms per declaration idle subtracted, peak RSS MiB):");
            Map<String, Double> perDeclaration = Report.cpuMsPerDeclaration(p, idle);
            p.processes().forEach((group, u) -> System.out.printf(Locale.ROOT, "  %-32s %8.1f s %6.2f cores %6.3f idle %8.2f ms %8.0f MiB%n",
                    group, u.cpuSeconds(), u.cores(), idle.containsKey(group) ? idle.get(group).cores() : 0.0,
                    perDeclaration.get(group), u.peakRssMiB()));
            System.out.printf(Locale.ROOT, "  platform (load generator excluded) %.2f ms per declaration; whole machine (load generator"
                            + " excluded) %.2f ms gross, %.2f ms net of idle; system counts per declaration %s%n",
                    Report.platformCpuMsPerDeclaration(p, idle, real), Report.machineCpuMsPerDeclaration(p, null, idle),
                    Report.machineCpuMsPerDeclaration(p, idleMachine, idle), p.systemCounts());
        }
    }

    private static Map<String, Object> machine(boolean real, String broker, List<String> jvm) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        String cpu = "unknown CPU";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            cpu = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        }
        m.put("cpu", cpu);
        long memKb = 0;
        Path meminfo = Path.of("/proc/meminfo");
        if (Files.isReadable(meminfo)) {
            memKb = Files.readAllLines(meminfo).stream().filter(l -> l.startsWith("MemTotal:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0);
        }
        m.put("memoryGiB", Math.round(memKb / 1024.0 / 1024.0));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        m.put("serviceJvmOptions", String.join(" ", jvm));
        m.put("infrastructure", (real ? "RabbitMQ and PostgreSQL servers" : "embedded broker and PostgreSQL") + " (" + broker + ")");
        return m;
    }
}

package org.singlewindow.bench;

import one.convert.Arguments;
import one.convert.JfrToFlame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Flame graphs of the services during a phase: a JDK Flight Recording of each service's JVM ({@code jcmd JFR.start},
 * the {@code profile} settings: a sample of the threads running Java code every 10 ms; threads waiting in native code
 * are not recorded, so the graph is where the CPU goes), stopped at the phase's end
 * and drawn by async-profiler's converter ({@code tools.profiler:jfr-converter}) into one self-contained HTML flame
 * graph per service, {@code flames/<service>.html} beside {@code latest.json}. Only JVMs: PostgreSQL and RabbitMQ
 * are in the per-process CPU figures, not here.
 */
final class Profiles {

    private static final String RECORDING = "sw-bench";

    private final Path jcmd;
    private final Path work;
    private final Map<String, Long> recording = new LinkedHashMap<>();

    Profiles(Path work) {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        this.jcmd = java.resolveSibling("jcmd");
        this.work = work;
    }

    /** Start recording every service; a service that refuses is left out, saying why. */
    void start(Map<String, Long> pids) throws IOException, InterruptedException {
        Files.createDirectories(work);
        recording.clear();
        for (var e : pids.entrySet()) {
            Path jfr = work.resolve(e.getKey() + ".jfr");
            Files.deleteIfExists(jfr);
            // CPU only: threads waiting in native code (epoll, accept) are sampled by another event, left out
            if (jcmd(e.getValue(), "JFR.start", "name=" + RECORDING, "settings=profile", "jdk.NativeMethodSample#enabled=false",
                    "filename=" + jfr)) {
                recording.put(e.getKey(), e.getValue());
            }
        }
    }

    /** Stop the recordings (at the end of the phase's measurement window: what follows is the benchmark's reading back). */
    void stop() {
        try {
            for (var e : recording.entrySet()) {
                jcmd(e.getValue(), "JFR.stop", "name=" + RECORDING);
            }
        } catch (IOException e) {
            System.err.println("bench: could not stop a recording: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Write each recorded service's flame graph into {@code out/flames}; returns the files written. */
    List<Path> draw(Path out, String title) throws IOException {
        Path flames = out.resolve("flames");
        Files.createDirectories(flames);
        List<Path> written = new ArrayList<>();
        for (String service : recording.keySet()) {
            Path jfr = work.resolve(service + ".jfr");
            if (!Files.isRegularFile(jfr)) {
                continue;
            }
            Path html = flames.resolve(service + ".html");
            // frames under 0.1 % of the samples are left out: the graph stays readable and the file small
            JfrToFlame.convert(jfr.toString(), html.toString(), new Arguments("--title", service + ": " + title, "--minwidth", "0.1"));
            written.add(html);
        }
        recording.clear();
        return written;
    }

    private boolean jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || output.contains("Exception")) {
            System.err.println("bench: " + String.join(" ", command) + " on pid " + pid + " failed: " + output.strip());
            return false;
        }
        return true;
    }
}

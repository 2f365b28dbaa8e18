package org.singlewindow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * CPU time and resident memory of the processes under test, grouped (one group per service, the broker,
 * PostgreSQL, the benchmark's own JVM). CPU is the processes' own accounting (user + system) between
 * {@link #begin()} and {@link #end()}; memory is sampled every half second from {@code /proc/<pid>/status}
 * (Linux) and the peak kept. PostgreSQL is many processes sharing buffers, so its summed RSS overstates.
 * <p>
 * A process that exits during a phase (a PostgreSQL backend whose connection closed) takes its CPU with it
 * from the per-process sum; the whole machine's busy time over the same phase ({@code /proc/stat}, every
 * process and the kernel) is kept beside it ({@link #machine()}), so that nothing escapes the count.
 */
final class ProcessMonitor implements AutoCloseable {

    /** One group's use over a phase: CPU seconds, average cores busy, peak resident MiB. */
    record Usage(double cpuSeconds, double cores, double peakRssMiB) {
    }

    private final Map<String, Supplier<List<ProcessHandle>>> groups = new LinkedHashMap<>();
    private final Map<String, Double> cpuAtBegin = new ConcurrentHashMap<>();
    private final Map<String, Double> peakRss = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-process-sampler");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> sampling;
    private long beganNanos;
    private double machineBusyAtBegin;
    private Usage machine = new Usage(0, 0, 0);
    private Runnable atNextEnd;

    /** A group of one process, looked up afresh at each reading (a restarted service has a new pid). */
    void add(String group, Supplier<Long> pid) {
        groups.put(group, () -> {
            Long p = pid.get();
            return p == null ? List.of() : ProcessHandle.of(p).stream().toList();
        });
    }

    /** A group of every process whose executable path matches. */
    void addByCommand(String group, Predicate<String> command) {
        groups.put(group, () -> ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(command::test).orElse(false)).toList());
    }

    void begin() {
        cpuAtBegin.clear();
        peakRss.clear();
        groups.forEach((group, processes) -> cpuAtBegin.put(group, cpuSeconds(processes.get())));
        machineBusyAtBegin = machineBusySeconds();
        beganNanos = System.nanoTime();
        sampling = sampler.scheduleAtFixedRate(this::sample, 0, 500, TimeUnit.MILLISECONDS);
    }

    Map<String, Usage> end() {
        if (sampling != null) {
            sampling.cancel(false);
        }
        sample();
        double seconds = (System.nanoTime() - beganNanos) / 1e9;
        double machineBusy = machineBusySeconds() - machineBusyAtBegin;
        machine = new Usage(machineBusy, machineBusy / seconds, 0);
        Map<String, Usage> usage = new LinkedHashMap<>();
        groups.forEach((group, processes) -> {
            double cpu = cpuSeconds(processes.get()) - cpuAtBegin.getOrDefault(group, 0.0);
            usage.put(group, new Usage(cpu, cpu / seconds, peakRss.getOrDefault(group, 0.0)));
        });
        if (atNextEnd != null) {
            Runnable r = atNextEnd;
            atNextEnd = null;
            r.run();
        }
        return usage;
    }

    /** Run this once, when the next phase's measurement ends (after its figures are taken). */
    void atNextEnd(Runnable r) {
        atNextEnd = r;
    }

    /** The whole machine over the last phase: every process and the kernel (NaN where there is no {@code /proc/stat}). */
    Usage machine() {
        return machine;
    }

    /**
     * Seconds the machine's CPUs were busy since boot: the first line of {@code /proc/stat} (user, nice, system,
     * irq, softirq, steal; not idle and iowait), in clock ticks of 1/100 s (USER_HZ, 100 on Linux).
     */
    private static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private void sample() {
        groups.forEach((group, processes) -> {
            double rss = processes.get().stream().mapToDouble(ProcessMonitor::rssMiB).sum();
            peakRss.merge(group, rss, Math::max);
        });
    }

    private static double cpuSeconds(List<ProcessHandle> processes) {
        return processes.stream()
                .mapToDouble(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9).sum();
    }

    private static double rssMiB(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return 0;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}

package org.singlewindow.bench;

import org.HdrHistogram.Histogram;
import org.singlewindow.contract.Agency;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives declarations through the gateway, either closed loop (a number of clients, each submitting
 * as soon as its last submission was accepted, with at most {@code inFlight} declarations submitted
 * and not yet settled, so the phase measures what the platform sustains rather than how fast it drains
 * a backlog) or open loop at a fixed rate (each submission leaves at its scheduled time whatever the
 * answers before it; latency counts from that time, so a stall shows in the percentiles instead of
 * hiding in a slower send rate). Then waits until every accepted declaration has a consolidated outcome
 * and every agency has settled it (the follow-ups) — watching the window's table directly, so the
 * waiting adds no API load — and closes the measurement window (CPU, system counts) at the last
 * settlement. Only then does it read each declaration back for the latency breakdown.
 */
final class PlatformLoad {

    /** Statuses after which the platform does nothing more without a person (HELD waits for an officer). */
    private static final List<String> SETTLED = List.of("CLEARED", "REJECTED", "CANCELLED", "HELD");

    private record Sent(Instant at, String location) {
    }

    /** What a phase measured; latencies in microseconds. */
    record Result(String name, String mode, double targetRate, int concurrency, int submitted, int accepted,
                  Map<Integer, Integer> refusedByStatus, int transportErrors, int unsettled, Map<String, Integer> outcomes,
                  double submitSeconds, double spanSeconds, double throughput, double submitRate,
                  Histogram accept, Histogram allAcks, Histogram fin, Histogram settled, Map<String, Histogram> decisionByAgency,
                  Map<String, ProcessMonitor.Usage> processes, ProcessMonitor.Usage machine, double windowSeconds,
                  Map<String, Object> systemCounts) {
    }

    private final Gateway gateway;
    private final Declarations declarations;
    private final ProcessMonitor monitor;
    private final AtomicInteger sequence = new AtomicInteger();
    private final WindowProbe probe;
    private final SystemCounters counters;

    PlatformLoad(Gateway gateway, Declarations declarations, ProcessMonitor monitor, WindowProbe probe, SystemCounters counters) {
        this.gateway = gateway;
        this.declarations = declarations;
        this.monitor = monitor;
        this.probe = probe;
        this.counters = counters;
    }

    /**
     * Closed loop: {@code concurrency} clients submit {@code count} declarations between them, never more
     * than {@code inFlight} submitted and not yet settled.
     */
    Result closedLoop(String name, int concurrency, int inFlight, int count, Duration settleTimeout) throws InterruptedException {
        List<String> bodies = bodies(count);
        Run run = new Run();
        AtomicInteger next = new AtomicInteger();
        run.begin();
        java.util.concurrent.atomic.AtomicLong settled = new java.util.concurrent.atomic.AtomicLong();
        Thread watcher = Thread.ofPlatform().daemon().name("bench-settled-watcher").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                settled.set(probe.settled(run.since).count());
                try {
                    // twice a second is precise enough for the bound, and the probe's own cost stays small
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        while (i - settled.get() >= inFlight) {
                            Thread.sleep(5);
                        }
                        run.submit(bodies.get(i), Instant.now());
                    }
                    return null;
                });
            }
        } finally {
            watcher.interrupt();
        }
        return run.finish(name, "closed-loop", 0, concurrency, settleTimeout);
    }

    /** Open loop: one declaration every 1/rate s for {@code duration}, however the platform answers. */
    Result fixedRate(String name, double rate, Duration duration, Duration settleTimeout) throws InterruptedException {
        int count = (int) Math.round(rate * duration.toMillis() / 1000.0);
        List<String> bodies = bodies(count);
        Run run = new Run();
        // bounds the client's own threads if the platform stops answering; a refusal here counts as an error
        Semaphore inFlight = new Semaphore(4000);
        run.begin();
        long start = System.nanoTime();
        Instant startWall = Instant.now();
        double periodNanos = 1e9 / rate;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                long due = start + (long) (i * periodNanos);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                Instant scheduled = startWall.plusNanos(due - start);
                String body = bodies.get(i);
                if (!inFlight.tryAcquire()) {
                    run.transportErrors.increment();
                    continue;
                }
                clients.submit(() -> {
                    try {
                        run.submit(body, scheduled);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        return run.finish(name, "fixed-rate", rate, 0, settleTimeout);
    }

    private List<String> bodies(int count) {
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ObjectNode declaration = declarations.next(sequence.getAndIncrement());
            bodies.add(declaration.toString());
        }
        return bodies;
    }

    /** One phase's submissions and what became of them. */
    private final class Run {
        final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        final Map<Integer, Integer> refused = new ConcurrentHashMap<>();
        final LongAdder transportErrors = new LongAdder();
        final LongAdder submitted = new LongAdder();
        final Histogram accept = histogram();
        OffsetDateTime since;
        long startNanos;
        Instant startWall;
        SystemCounters.Snapshot countsBefore;

        void begin() {
            since = OffsetDateTime.now(java.time.ZoneOffset.UTC);
            countsBefore = counters.take();
            monitor.begin();
            startNanos = System.nanoTime();
            startWall = Instant.now();
        }

        void submit(String body, Instant scheduled) {
            submitted.increment();
            try {
                HttpResponse<String> response = gateway.post("/api/v1/declarations", body, null);
                long micros = Duration.between(scheduled, Instant.now()).toNanos() / 1000;
                synchronized (accept) {
                    accept.recordValue(Math.max(0, micros));
                }
                if (response.statusCode() == 202) {
                    sent.add(new Sent(scheduled, response.headers().firstValue("Location").orElseThrow()));
                } else {
                    refused.merge(response.statusCode(), 1, Integer::sum);
                    if (refused.values().stream().mapToInt(Integer::intValue).sum() <= 5) {
                        System.err.println("refused " + response.statusCode() + ": " + response.body());
                    }
                }
            } catch (IOException e) {
                transportErrors.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        Result finish(String name, String mode, double rate, int concurrency, Duration settleTimeout) throws InterruptedException {
            double submitSeconds = (System.nanoTime() - startNanos) / 1e9;
            int accepted = sent.size();
            long deadline = System.nanoTime() + settleTimeout.toNanos();
            while (probe.settled(since).count() < accepted && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            // the measurement window closes at the last settlement: what follows (reading back) is the benchmark's
            Map<String, ProcessMonitor.Usage> processes = monitor.end();
            ProcessMonitor.Usage machine = monitor.machine();
            double windowSeconds = (System.nanoTime() - startNanos) / 1e9;
            SystemCounters.Snapshot countsAfter = counters.take();
            Map<String, Integer> outcomes = new TreeMap<>();
            for (String status : SETTLED) {
                outcomes.put(status, 0);
            }
            outcomes.putAll(probe.outcomes(since));

            // each declaration's receipts, read once the load is over (reading during it would add load)
            Histogram allAcks = histogram();
            Histogram fin = histogram();
            Histogram settled = histogram();
            Map<String, Histogram> decision = new TreeMap<>();
            for (Agency agency : Agency.values()) {
                decision.put(agency.name(), histogram());
            }
            AtomicInteger unsettled = new AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<Instant> lastSettled = new java.util.concurrent.atomic.AtomicReference<>(startWall);
            Semaphore readers = new Semaphore(16);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Sent s : sent) {
                    readers.acquire();
                    pool.submit(() -> {
                        try {
                            // done = final and every agency has settled the outcome (the follow-ups are work too)
                            JsonNode view = gateway.get(s.location());
                            while (System.nanoTime() < deadline && (view == null
                                    || !view.path("followUps").hasNonNull("completedAt"))) {
                                Thread.sleep(500);
                                view = gateway.get(s.location());
                            }
                            if (view == null || !view.hasNonNull("finalAt") || !view.path("followUps").hasNonNull("completedAt")) {
                                unsettled.incrementAndGet();
                                return null;
                            }
                            Instant finalAt = OffsetDateTime.parse(view.get("finalAt").asString()).toInstant();
                            Instant settledAt = OffsetDateTime.parse(view.get("followUps").get("completedAt").asString()).toInstant();
                            lastSettled.accumulateAndGet(settledAt, (a, b) -> a.isAfter(b) ? a : b);
                            Instant acks = null;
                            int ackCount = 0;
                            Map<String, Instant> decided = new TreeMap<>();
                            for (JsonNode r : view.get("receipts")) {
                                Instant received = OffsetDateTime.parse(r.get("receivedAt").asString()).toInstant();
                                String agency = r.get("agency").asString();
                                switch (r.get("kind").asString()) {
                                    case "ACKNOWLEDGEMENT" -> {
                                        ackCount++;
                                        acks = acks == null || received.isAfter(acks) ? received : acks;
                                    }
                                    case "DECISION" -> decided.merge(agency, received, (a, b) -> a.isBefore(b) ? a : b);
                                    default -> {
                                    }
                                }
                            }
                            synchronized (fin) {
                                fin.recordValue(micros(s.at(), finalAt));
                                settled.recordValue(micros(s.at(), settledAt));
                                if (ackCount >= Agency.values().length) {
                                    allAcks.recordValue(micros(s.at(), acks));
                                }
                                decided.forEach((agency, at) -> {
                                    Histogram h = decision.get(agency);
                                    if (h != null) {
                                        h.recordValue(micros(s.at(), at));
                                    }
                                });
                            }
                            return null;
                        } finally {
                            readers.release();
                        }
                    });
                }
            }
            double span = Math.max(1e-3, Duration.between(startWall, lastSettled.get()).toNanos() / 1e9);
            int completed = (int) fin.getTotalCount();
            return new Result(name, mode, rate, concurrency, (int) submitted.sum(), accepted, new TreeMap<>(refused),
                    (int) transportErrors.sum(), unsettled.get(), new TreeMap<>(outcomes), submitSeconds, span,
                    completed / span, submitted.sum() / submitSeconds, accept, allAcks, fin, settled, decision, processes,
                    machine, windowSeconds, SystemCounters.perDeclaration(countsBefore, countsAfter, completed));
        }
    }

    private static long micros(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toNanos() / 1000);
    }

    static Histogram histogram() {
        return new Histogram(Duration.ofHours(1).toNanos() / 1000, 3);
    }

    static String summary(Result r) {
        return String.format(Locale.ROOT, """
                %s (%s%s): submitted %d, accepted %d, refused %s, transport errors %d, not final %d; outcomes %s
                  throughput %.1f declarations/s (first submit to the last one final and settled by all five, %.1f s); submit rate %.1f/s
                  latency ms        p50      p90      p99    p99.9      max
                  accepted (202) %s
                  all 5 acks     %s
                  final status   %s
                  all settled    %s""",
                r.name(), r.mode(), r.mode().equals("fixed-rate") ? " " + r.targetRate() + "/s" : " x" + r.concurrency(),
                r.submitted(), r.accepted(), r.refusedByStatus(), r.transportErrors(), r.unsettled(), r.outcomes(),
                r.throughput(), r.spanSeconds(), r.submitRate(), row(r.accept()), row(r.allAcks()), row(r.fin()), row(r.settled()));
    }

    static String row(Histogram h) {
        return String.format(Locale.ROOT, "%8.1f %8.1f %8.1f %8.1f %8.1f",
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
    }
}

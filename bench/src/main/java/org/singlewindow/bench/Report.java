package org.singlewindow.bench;

import org.HdrHistogram.Histogram;
import org.singlewindow.contract.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's result as JSON ({@code latest.json}), as an SVG chart drawn from that JSON
 * ({@code latest.svg}, which README shows) and as a self-contained HTML page ({@code latest.html}: the
 * chart and the figures).
 */
final class Report {

    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private Report() {
    }

    /** A group of the monitor that is the benchmark itself (the load generator), not the platform. */
    static boolean isLoadGenerator(String group) {
        return group.startsWith("bench client");
    }

    /** CPU per declaration of each process group, its idle use over the same window subtracted. */
    static Map<String, Double> cpuMsPerDeclaration(PlatformLoad.Result p, Map<String, ProcessMonitor.Usage> idle) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        double completed = Math.max(1, p.fin().getTotalCount());
        p.processes().forEach((group, u) -> {
            double idleCores = idle.containsKey(group) ? idle.get(group).cores() : 0;
            out.put(group, Math.max(0, u.cpuSeconds() - idleCores * p.windowSeconds()) * 1000 / completed);
        });
        return out;
    }

    /** The platform's CPU per declaration: every group but the load generator (on the embedded default that includes the broker). */
    static double platformCpuMsPerDeclaration(PlatformLoad.Result p, Map<String, ProcessMonitor.Usage> idle, boolean real) {
        return cpuMsPerDeclaration(p, idle).entrySet().stream().filter(e -> !isLoadGenerator(e.getKey()))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The raw pattern's CPU per message: the broker and the pattern's own clients (publisher, consumers, collector). */
    static double cpuMsPerMessage(RawBroker.Result raw) {
        return raw.processes().entrySet().stream().filter(e -> e.getKey().equals("rabbitmq") || isLoadGenerator(e.getKey()))
                .mapToDouble(e -> e.getValue().cpuSeconds()).sum() * 1000 / Math.max(1, raw.messages());
    }

    /**
     * The whole machine's CPU per declaration over a phase ({@code /proc/stat}: every process, those that exited
     * during it included, and the kernel), the load generator's own CPU taken out; net of idle when
     * {@code idleMachine} is given (the machine's and the load generator's idle use over the same window subtracted).
     */
    static double machineCpuMsPerDeclaration(PlatformLoad.Result p, ProcessMonitor.Usage idleMachine,
                                             Map<String, ProcessMonitor.Usage> idle) {
        double busy = p.machine().cpuSeconds();
        double loadGenerator = p.processes().entrySet().stream().filter(e -> isLoadGenerator(e.getKey()))
                .mapToDouble(e -> e.getValue().cpuSeconds()).sum();
        if (idleMachine != null) {
            busy -= idleMachine.cores() * p.windowSeconds();
            loadGenerator -= idle.entrySet().stream().filter(e -> isLoadGenerator(e.getKey()))
                    .mapToDouble(e -> e.getValue().cores()).sum() * p.windowSeconds();
        }
        return Math.max(0, busy - loadGenerator) * 1000 / Math.max(1, p.fin().getTotalCount());
    }

    static ObjectNode json(Map<String, Object> machine, RawPatterns raws, List<PlatformLoad.Result> phases,
                           Map<String, List<PlatformLoad.Result>> runs, String command, Map<String, ProcessMonitor.Usage> idle,
                           ProcessMonitor.Usage idleMachine, boolean real) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("command", command);
        root.set("machine", Json.mapper().valueToTree(machine));
        for (RawPatterns.Pair pair : raws.all().values()) {
            RawBroker.Result raw = pair.before();
            String key = pair == raws.first() ? "rawBroker" : "rawBroker" + capitalized(pair.kind());
            ObjectNode r = root.putObject(key);
            r.put("pattern", raw.pattern()).put("broker", raw.broker()).put("queueType", raw.queueType())
                    .put(raw.flow() ? "flows" : "messages", raw.messages())
                    .put("window", raw.window()).put("consumersPerQueue", raw.consumersPerQueue())
                    .put("seconds", round(raw.seconds())).put("throughputPerSecond", round(pair.throughput()))
                    .put("throughputBeforePerSecond", round(raw.throughput()));
            if (pair.after() != null) {
                r.put("throughputAfterPerSecond", round(pair.after().throughput()));
            }
            r.put(raw.flow() ? "cpuMsPerFlow" : "cpuMsPerMessage", round2(pair.cpuMs()));
            r.set(raw.flow() ? "latencyTenReceiptsMs" : "latencyFiveReceiptsMs", latency(raw.latency()));
        }
        root.put("idleMachineCores", round2(idleMachine.cores()));
        ObjectNode idleNode = root.putObject("idleCores");
        idle.forEach((group, u) -> idleNode.put(group, round2(u.cores())));
        var list = root.putArray("platform");
        for (PlatformLoad.Result p : phases) {
            ObjectNode n = list.addObject();
            n.put("phase", p.name()).put("mode", p.mode());
            if (p.mode().equals("fixed-rate")) {
                n.put("targetRatePerSecond", p.targetRate());
            } else {
                n.put("concurrency", p.concurrency());
            }
            n.put("submitted", p.submitted()).put("accepted", p.accepted())
                    .put("transportErrors", p.transportErrors()).put("notFinal", p.unsettled());
            n.set("refusedByStatus", Json.mapper().valueToTree(p.refusedByStatus()));
            n.set("outcomes", Json.mapper().valueToTree(p.outcomes()));
            n.put("submitSeconds", round(p.submitSeconds())).put("spanSeconds", round(p.spanSeconds()))
                    .put("throughputPerSecond", round(p.throughput())).put("submitRatePerSecond", round(p.submitRate()));
            ObjectNode lat = n.putObject("latencyMs");
            lat.set("submitToAccepted", latency(p.accept()));
            lat.set("submitToAllAcknowledgements", latency(p.allAcks()));
            lat.set("submitToFinal", latency(p.fin()));
            lat.set("submitToSettledByAll", latency(p.settled()));
            ObjectNode byAgency = lat.putObject("submitToDecisionByAgency");
            p.decisionByAgency().forEach((agency, h) -> byAgency.set(agency, latency(h)));
            ObjectNode processes = n.putObject("processes");
            Map<String, Double> perDeclaration = cpuMsPerDeclaration(p, idle);
            p.processes().forEach((group, u) -> processes.putObject(group).put("cpuSeconds", round(u.cpuSeconds()))
                    .put("cores", round(u.cores())).put("cpuMsPerDeclaration", round2(perDeclaration.get(group)))
                    .put("peakRssMiB", round(u.peakRssMiB())));
            n.put("windowSeconds", round(p.windowSeconds()));
            n.put("platformCpuMsPerDeclaration", round2(platformCpuMsPerDeclaration(p, idle, real)));
            n.putObject("machineCpuMsPerDeclaration").put("gross", round2(machineCpuMsPerDeclaration(p, null, idle)))
                    .put("net", round2(machineCpuMsPerDeclaration(p, idleMachine, idle)));
            n.set("perDeclaration", Json.mapper().valueToTree(p.systemCounts()));
            var spread = n.putArray("runs");
            for (PlatformLoad.Result run : runs.getOrDefault(p.name(), List.of(p))) {
                spread.addObject().put("median", run == p).put("throughputPerSecond", round(run.throughput()))
                        .put("platformCpuMsPerDeclaration", round2(platformCpuMsPerDeclaration(run, idle, real)))
                        .put("machineCpuNetMsPerDeclaration", round2(machineCpuMsPerDeclaration(run, idleMachine, idle)))
                        .put("submitToFinalP99Ms", round(run.fin().getValueAtPercentile(99) / 1000.0));
            }
        }
        PlatformLoad.Result closed = phases.getFirst();
        double platformCpu = platformCpuMsPerDeclaration(closed, idle, real);
        RawPatterns.Pair flow = raws.get("flow");
        root.put("ratioToRawBroker", Math.round(closed.throughput() / raws.first().throughput() * 10000) / 10000.0);
        root.put("cpuRatioToRawBroker", round2(platformCpu / raws.first().cpuMs()));
        if (flow != null) {
            root.put("ratioToRawFlow", Math.round(closed.throughput() / flow.throughput() * 10000) / 10000.0);
            root.put("cpuRatioToRawFlow", round2(platformCpu / flow.cpuMs()));
        }
        return root;
    }

    private static ObjectNode latency(Histogram h) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("count", h.getTotalCount());
        for (double p : PERCENTILES) {
            n.put("p" + (p == 99.9 ? "99.9" : Integer.toString((int) p)), round(h.getValueAtPercentile(p) / 1000.0));
        }
        n.put("max", round(h.getMaxValue() / 1000.0)).put("mean", round(h.getMean() / 1000.0));
        return n;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Two decimals, as every per-declaration figure is reported. */
    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static void write(Path dir, ObjectNode result) throws IOException {
        Files.createDirectories(dir);
        String json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result);
        Files.writeString(dir.resolve("latest.json"), json + "\n");
        String svg = svg(result);
        Files.writeString(dir.resolve("latest.svg"), svg);
        Files.writeString(dir.resolve("latest.html"), """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Single Window benchmark</title>
                <style>body{font-family:sans-serif;margin:2em;max-width:1000px}pre{background:#f4f4f4;padding:1em;overflow:auto}</style>
                </head><body>
                <h1>Single Window benchmark</h1>
                %s
                <h2>Result</h2>
                <pre>%s</pre>
                </body></html>
                """.formatted(svg, escape(json)));
    }

    /** Redraw the chart and page of an earlier result ({@code Report path/to/latest.json}). */
    public static void main(String[] args) throws IOException {
        Path json = Path.of(args.length > 0 ? args[0] : "bench/results/latest.json");
        write(json.toAbsolutePath().getParent(), (ObjectNode) Json.mapper().readTree(Files.readString(json)));
    }

    /**
     * Drawn from the JSON result alone. Two panels: throughput against the raw broker pattern (log
     * scale); latency percentiles of the fixed-rate phases (a closed loop's latency is its queue).
     */
    static String svg(JsonNode result) {
        int width = 980;
        int x0 = 330;
        int barWidth = width - x0 - 200;
        JsonNode raw = result.get("rawBroker");
        List<String[]> bars = new ArrayList<>();
        bars.add(new String[] {"raw broker pattern (" + raw.get("queueType").asString() + " queues)",
                raw.get("throughputPerSecond").asString()});
        JsonNode classic = result.get("rawBrokerClassic");
        if (classic != null) {
            bars.add(new String[] {"raw broker pattern (classic queues)", classic.get("throughputPerSecond").asString()});
        }
        JsonNode flow = result.get("rawBrokerFlow");
        if (flow != null) {
            bars.add(new String[] {"raw pattern of the same flow (flows)", flow.get("throughputPerSecond").asString()});
        }
        List<JsonNode> fixed = new ArrayList<>();
        for (JsonNode p : result.get("platform")) {
            bars.add(new String[] {"platform, " + label(p), p.get("throughputPerSecond").asString()});
            if (p.get("mode").asString().equals("fixed-rate")) {
                fixed.add(p);
            }
        }
        String[][] rows = {{"submitToAllAcknowledgements", "all five acknowledgements"}, {"submitToFinal", "final status"},
                {"submitToSettledByAll", "settled by all five"}};
        int height = 150 + bars.size() * 34 + 50 + fixed.size() * rows.length * 30 + 50;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">%n", width, height, width, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(20, 28, 18, "bold", "Single Window benchmark: declarations end to end vs. the broker's own limit"));
        JsonNode m = result.get("machine");
        s.append(text(20, 50, 12, "normal", String.format(Locale.ROOT, "%s cores (%s), %s GiB, %s, Java %s, every process on this one machine",
                m.get("cores").asString(), m.get("cpu").asString(), m.get("memoryGiB").asString(), m.get("os").asString(),
                m.get("java").asString())));
        s.append(text(20, 68, 12, "normal", m.get("infrastructure").asString() + "; services: " + m.get("serviceJvmOptions").asString()
                + "; " + result.path("at").asString()));
        s.append(text(20, 100, 14, "bold", String.format(Locale.ROOT,
                "Throughput (per second, log scale): platform at %.3f x the raw pattern, %.3f x the raw flow; CPU per declaration %.1f x its CPU per message",
                result.get("ratioToRawBroker").asDouble(), result.path("ratioToRawFlow").asDouble(Double.NaN),
                result.path("cpuRatioToRawBroker").asDouble(Double.NaN))));
        double max = bars.stream().mapToDouble(b -> Double.parseDouble(b[1])).max().orElse(1);
        double logMax = Math.log10(Math.max(10, max * 1.2));
        int y = 115;
        for (String[] bar : bars) {
            double v = Double.parseDouble(bar[1]);
            int w = (int) Math.max(2, barWidth * Math.log10(Math.max(1, v)) / logMax);
            s.append(text(20, y + 17, 13, "normal", bar[0]));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"24\" fill=\"%s\"/>%n",
                    x0, y, w, bar[0].startsWith("raw") ? "#9e9e9e" : "#1e88e5"));
            s.append(text(x0 + w + 8, y + 17, 13, "normal", String.format(Locale.ROOT, "%,.1f /s", v)));
            y += 34;
        }
        y += 30;
        s.append(text(20, y, 14, "bold", "Latency at a fixed rate (ms from the scheduled submission; bars p50 · p90 · p99 · p99.9)"));
        y += 15;
        double maxLatency = 1;
        for (JsonNode p : fixed) {
            for (String[] row : rows) {
                maxLatency = Math.max(maxLatency, p.get("latencyMs").get(row[0]).get("p99.9").asDouble());
            }
        }
        String[] shades = {"#c8e6c9", "#81c784", "#43a047", "#1b5e20"};
        String[] keys = {"p50", "p90", "p99", "p99.9"};
        for (JsonNode p : fixed) {
            for (String[] row : rows) {
                JsonNode h = p.get("latencyMs").get(row[0]);
                s.append(text(20, y + 16, 12, "normal", String.format(Locale.ROOT, "at %.0f/s: %s", p.get("targetRatePerSecond").asDouble(), row[1])));
                // nested bars, the longest (p99.9) first so that the shorter ones stay visible on top
                for (int i = keys.length - 1; i >= 0; i--) {
                    int w = (int) Math.max(1, barWidth * h.get(keys[i]).asDouble() / maxLatency);
                    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"22\" fill=\"%s\"/>%n",
                            x0, y, w, shades[i]));
                }
                s.append(text(x0 + barWidth + 8, y + 16, 12, "normal", String.format(Locale.ROOT, "%.0f · %.0f · %.0f · %.0f",
                        h.get("p50").asDouble(), h.get("p90").asDouble(), h.get("p99").asDouble(), h.get("p99.9").asDouble())));
                y += 30;
            }
        }
        s.append(text(x0, y + 14, 11, "normal", String.format(Locale.ROOT, "scale 0 … %.0f ms", maxLatency)));
        s.append("</svg>\n");
        return s.toString();
    }

    static String label(JsonNode p) {
        return p.get("mode").asString().equals("fixed-rate")
                ? String.format(Locale.ROOT, "%s at %.0f/s", p.get("phase").asString(), p.get("targetRatePerSecond").asDouble())
                : String.format(Locale.ROOT, "%s, %d clients", p.get("phase").asString(), p.get("concurrency").asInt());
    }

    private static String text(int x, int y, int size, String weight, String content) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n",
                x, y, size, weight, escape(content));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

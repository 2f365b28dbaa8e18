package org.singlewindow.sandbox;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README and {@code docs/} say what is where: every relative link goes to a file that exists (and to a
 * heading it has, for {@code #anchors}), every repository path written in backticks exists, and nothing
 * points outside the repository.
 */
class DocumentationTest {

    private static final Path HOME = Path.of(System.getProperty("sw.home", "../..")).toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern CODE = Pattern.compile("`([^`\\s]+)`");
    /** Where a path in backticks is a repository path. */
    private static final List<String> ROOTS = List.of("services/", "infra/", "helm/", "docs/", "gateway/", "bench/", ".ci/");

    private static List<Path> documents() throws IOException {
        List<Path> all = new ArrayList<>();
        all.add(HOME.resolve("README.md"));
        try (Stream<Path> docs = Files.list(HOME.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(all::add);
        }
        return all;
    }

    @Test
    void everyLinkGoesToAFileAndHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path document : documents()) {
            String text = Files.readString(document);
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                if (!resolved.startsWith(HOME)) {
                    broken.add(HOME.relativize(document) + ": " + target + " points outside the repository");
                } else if (!Files.exists(resolved)) {
                    broken.add(HOME.relativize(document) + ": " + target + " does not exist");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors(Files.readString(resolved)).contains(target.substring(hash + 1))) {
                    broken.add(HOME.relativize(document) + ": " + target + " names no heading of " + HOME.relativize(resolved));
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void everyRepositoryPathWrittenInTheTextExists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path document : documents()) {
            Matcher code = CODE.matcher(Files.readString(document));
            while (code.find()) {
                String path = code.group(1).replaceAll("[.,:;]+$", "");
                if (ROOTS.stream().noneMatch(path::startsWith) || path.matches(".*[<>{}*…$|].*")) {
                    continue;
                }
                // "path#anchor" and "path:line" name the file before the mark; what a build or a script writes
                // (target/, infra/.env from compose-secrets.sh) is not in the repository
                String file = path.replaceAll("[#:].*$", "");
                if (file.contains("/target/") || file.equals("infra/.env")) {
                    continue;
                }
                if (!exists(file)) {
                    missing.add(HOME.relativize(document) + ": " + path);
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void nothingPointsOutsideTheRepository() throws IOException {
        for (Path document : documents()) {
            assertThat(Files.readString(document)).as(HOME.relativize(document).toString())
                    .doesNotContain("../shared/").doesNotContain("/work/").doesNotContain("design/single-window.md");
        }
    }

    /**
     * The benchmark's headline figures are the committed results file's, not a run someone remembers:
     * {@code docs/benchmark.md} carries them between {@code <!-- summary of bench/results/latest.json -->} and
     * {@code <!-- end of summary -->} exactly as {@link #benchmarkSummary} writes them from that file (after a
     * new run, paste what this test prints).
     */
    @Test
    void theBenchmarksHeadlineFiguresAreTheCommittedResults() throws IOException {
        String page = Files.readString(HOME.resolve("docs/benchmark.md"));
        String begin = "<!-- summary of bench/results/latest.json -->\n";
        String end = "<!-- end of summary -->";
        assertThat(page).contains(begin).contains(end);
        String written = page.substring(page.indexOf(begin) + begin.length(), page.indexOf(end));
        String expected = benchmarkSummary(org.singlewindow.contract.Json.mapper()
                .readTree(HOME.resolve("bench/results/latest.json").toFile()));
        assertThat(written).as("docs/benchmark.md's summary; from bench/results/latest.json it reads:%n%s", expected)
                .isEqualTo(expected);
    }

    /** The lowest and highest of a field over a phase's runs, "a–b" (one figure for one run). */
    private static String range(tools.jackson.databind.JsonNode runs, String field) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (tools.jackson.databind.JsonNode run : runs) {
            min = Math.min(min, run.path(field).asDouble());
            max = Math.max(max, run.path(field).asDouble());
        }
        return min == max ? String.format(Locale.ROOT, "%,.1f", min) : String.format(Locale.ROOT, "%,.1f–%,.1f", min, max);
    }

    /** The summary of a benchmark results file, as docs/benchmark.md carries it. */
    static String benchmarkSummary(tools.jackson.databind.JsonNode results) {
        tools.jackson.databind.JsonNode machine = results.path("machine");
        tools.jackson.databind.JsonNode raw = results.path("rawBroker");
        tools.jackson.databind.JsonNode closed = null;
        List<tools.jackson.databind.JsonNode> fixed = new ArrayList<>();
        for (tools.jackson.databind.JsonNode phase : results.path("platform")) {
            if ("closed-loop".equals(phase.path("mode").asString())) {
                closed = phase;
            } else {
                fixed.add(phase);
            }
        }
        assertThat(closed).as("a closed-loop phase in the results").isNotNull();
        tools.jackson.databind.JsonNode per = closed.path("perDeclaration");
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "Latest committed run (`bench/results/latest.json`, %s, %d cores, %s, `%s`): **%.1f declarations/s**"
                        + " final and settled by all five agencies in the closed loop against **%,.0f messages/s** for the"
                        + " raw broker pattern on %s queues (%.3f ×); **%.1f ms of CPU per declaration** across the"
                        + " platform's processes against %.2f ms per raw message (%.1f ×); %.1f commits, %.0f SQL"
                        + " statements and %.0f published messages per declaration.",
                results.path("at").asString().substring(0, 10), machine.path("cores").asInt(),
                machine.path("infrastructure").asString(), results.path("command").asString(),
                closed.path("throughputPerSecond").asDouble(), raw.path("throughputPerSecond").asDouble(),
                raw.path("queueType").asString(), results.path("ratioToRawBroker").asDouble(),
                closed.path("platformCpuMsPerDeclaration").asDouble(), raw.path("cpuMsPerMessage").asDouble(),
                results.path("cpuRatioToRawBroker").asDouble(), per.path("commits").asDouble(),
                per.path("statements").asDouble(), per.path("broker").path("confirmed").asDouble()));
        List<String> processes = new ArrayList<>();
        closed.path("processes").properties().stream()
                .filter(e -> !e.getKey().equals("bench client") && e.getValue().path("cpuMsPerDeclaration").asDouble() >= 0.05)
                .sorted((a, b) -> Double.compare(b.getValue().path("cpuMsPerDeclaration").asDouble(),
                        a.getValue().path("cpuMsPerDeclaration").asDouble()))
                .forEach(e -> processes.add(String.format(Locale.ROOT, "%s %.1f", e.getKey(),
                        e.getValue().path("cpuMsPerDeclaration").asDouble())));
        tools.jackson.databind.JsonNode flow = results.path("rawBrokerFlow");
        if (!flow.isMissingNode()) {
            text.append(String.format(Locale.ROOT, " The raw pattern of the same flow (twelve confirmed messages): **%,.0f flows/s**"
                            + " at %.2f ms of CPU per flow; the platform reaches %.3f × its throughput at %.1f × its CPU.",
                    flow.path("throughputPerSecond").asDouble(), flow.path("cpuMsPerFlow").asDouble(),
                    results.path("ratioToRawFlow").asDouble(), results.path("cpuRatioToRawFlow").asDouble()));
        }
        tools.jackson.databind.JsonNode machineCpu = closed.path("machineCpuMsPerDeclaration");
        if (!machineCpu.isMissingNode()) {
            text.append(String.format(Locale.ROOT, " The whole machine, load generator excluded: %.1f ms of CPU per declaration,"
                    + " %.1f net of idle; the closed loop's %d runs ranged %s declarations/s.",
                    machineCpu.path("gross").asDouble(), machineCpu.path("net").asDouble(), closed.path("runs").size(),
                    range(closed.path("runs"), "throughputPerSecond")));
        }
        text.append(" CPU ms per declaration by process: ").append(String.join(", ", processes)).append('.');
        for (tools.jackson.databind.JsonNode phase : fixed) {
            text.append(String.format(Locale.ROOT, "%n- %s (%.0f/s): submit→final p50 %,.0f ms, p99 %,.0f ms; %.1f ms of CPU per declaration",
                    phase.path("phase").asString(), phase.path("targetRatePerSecond").asDouble(),
                    phase.path("latencyMs").path("submitToFinal").path("p50").asDouble(),
                    phase.path("latencyMs").path("submitToFinal").path("p99").asDouble(),
                    phase.path("platformCpuMsPerDeclaration").asDouble()));
            if (phase.has("machineCpuMsPerDeclaration")) {
                text.append(String.format(Locale.ROOT, " (whole machine %.1f, net of idle %.1f; runs: p99 %s ms, CPU %s ms)",
                        phase.path("machineCpuMsPerDeclaration").path("gross").asDouble(),
                        phase.path("machineCpuMsPerDeclaration").path("net").asDouble(),
                        range(phase.path("runs"), "submitToFinalP99Ms"), range(phase.path("runs"), "platformCpuMsPerDeclaration")));
            }
        }
        return text.append('\n').toString();
    }

    @Test
    void everyTestSuiteIsNamedInTheTestingPage() throws IOException {
        String page = Files.readString(HOME.resolve("docs/testing.md"));
        List<String> unnamed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(HOME)) {
            files.filter(p -> !p.toString().contains("/target/") && p.toString().contains("/src/test/java/"))
                    .map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith("Test.java") || name.endsWith("IT.java"))
                    .map(name -> name.substring(0, name.length() - ".java".length()))
                    .filter(name -> !page.contains(name))
                    .sorted().forEach(unnamed::add);
        }
        assertThat(unnamed).as("test suites docs/testing.md does not name").isEmpty();
    }

    /** A path, where {@code /.../} stands for any directories between (as the docs shorten long source paths). */
    private static boolean exists(String path) throws IOException {
        int gap = path.indexOf("/.../");
        if (gap < 0) {
            return Files.exists(HOME.resolve(path));
        }
        Path from = HOME.resolve(path.substring(0, gap));
        String rest = "/" + path.substring(gap + "/.../".length());
        if (!Files.isDirectory(from)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(from)) {
            return walk.filter(p -> !p.toString().contains("/target/"))
                    .anyMatch(p -> p.toString().replace('\\', '/').endsWith(rest));
        }
    }

    /** GitHub's anchors of a document's headings: lower case, punctuation out, spaces to hyphens. */
    private static List<String> anchors(String markdown) {
        List<String> anchors = new ArrayList<>();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}

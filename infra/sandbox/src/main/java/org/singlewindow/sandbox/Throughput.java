package org.singlewindow.sandbox;

import org.singlewindow.contract.Json;
import org.singlewindow.contract.ResidentId;
import org.singlewindow.infra.embedded.Tokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A first throughput figure for a running platform: submits declarations through the gateway with a
 * fixed number of concurrent clients (closed loop), waits until every one has a final consolidated
 * status, and reports declarations/s from the first submit to the last final status, plus
 * submit→final latency percentiles taken from the declaration service's own timestamps.
 *
 * <pre>
 * java -cp infra/sandbox/target/sw-sandbox.jar org.singlewindow.sandbox.Throughput \
 *      --url=http://localhost:8080 --count=2000 --concurrency=16 \
 *      --issuer=http://127.0.0.1:8180/realms/single-window
 * </pre>
 *
 * The full benchmark (rate control, HdrHistogram, the broker's own limit) is a separate tool; this
 * one exists so that every change can be checked for a gross regression in a minute.
 */
public final class Throughput {

    private static final List<String> FINAL = List.of("CLEARED", "REJECTED", "CANCELLED");

    private Throughput() {
    }

    public static void main(String[] args) throws Exception {
        URI gateway = URI.create("http://localhost:8080");
        String issuer = "http://127.0.0.1:8180/realms/single-window";
        int count = 1000;
        int concurrency = 16;
        Path sample = Path.of("infra/samples/declaration.json");
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "--url" -> gateway = URI.create(kv[1]);
                case "--count" -> count = Integer.parseInt(kv[1]);
                case "--concurrency" -> concurrency = Integer.parseInt(kv[1]);
                case "--sample" -> sample = Path.of(kv[1]);
                case "--issuer" -> issuer = kv[1];
                default -> {
                    System.err.println("unknown option " + arg + " (known: --url= --count= --concurrency= --sample= --issuer=)");
                    System.exit(2);
                }
            }
        }
        Tokens tokens = new Tokens(issuer);
        Result result = run(gateway, () -> tokens.fresh("enterprise-a"), Files.readString(sample), count, concurrency,
                Duration.ofMinutes(10));
        System.out.println(result);
        System.exit(result.incomplete() == 0 && result.errors() == 0 ? 0 : 1);
    }

    /** What one run measured. */
    public record Result(int submitted, int errors, int incomplete, double submitSeconds, double totalSeconds,
                         long p50Millis, long p99Millis, long maxMillis) {

        public double perSecond() {
            return totalSeconds == 0 ? 0 : (submitted - errors - incomplete) / totalSeconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, """
                    submitted %d (errors %d) in %.1f s; all final after %.1f s; incomplete %d
                    throughput %.1f declarations/s (submit to consolidated status)
                    submit->final latency p50 %d ms, p99 %d ms, max %d ms""",
                    submitted, errors, submitSeconds, totalSeconds, incomplete, perSecond(), p50Millis, p99Millis, maxMillis);
        }
    }

    public static Result run(URI gateway, Supplier<String> token, String sampleJson, int count, int concurrency,
                             Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectNode sample = (ObjectNode) Json.mapper().readTree(sampleJson);
        String run = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("HHmmss"));
        List<String> locations = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();

        String since = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1).toString();
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                futures.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        String body = Json.mapper().writeValueAsString(variant(sample, run, i));
                        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/api/v1/declarations"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", "tp-" + run + "-" + i)
                                .header("Authorization", "Bearer " + token.get())
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 202) {
                                locations.add(response.headers().firstValue("Location").orElseThrow());
                            } else {
                                errors.incrementAndGet();
                                System.err.println("submit " + i + ": " + response.statusCode() + " " + response.body());
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            System.err.println("submit " + i + ": " + e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        double submitSeconds = (System.nanoTime() - start) / 1e9;

        // Wait until every declaration is final, counting through the list endpoint (a light query),
        // then read each one once for its latency.
        long deadline = System.nanoTime() + timeout.toNanos();
        long finals = 0;
        while (finals < locations.size() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            finals = 0;
            for (String status : FINAL) {
                JsonNode page = get(http, token, gateway.resolve("/api/v1/declarations?size=1&status=" + status + "&from=" + since));
                finals += page == null ? 0 : page.get("total").asLong();
            }
        }
        double totalSeconds = (System.nanoTime() - start) / 1e9;
        List<Long> latencies = new ArrayList<>();
        int incomplete = 0;
        for (String location : locations) {
            JsonNode view = get(http, token, gateway.resolve(location));
            if (view != null && view.hasNonNull("finalAt")) {
                OffsetDateTime submitted = OffsetDateTime.parse(view.get("submittedAt").asString());
                OffsetDateTime done = OffsetDateTime.parse(view.get("finalAt").asString());
                latencies.add(Duration.between(submitted, done).toMillis());
            } else {
                incomplete++;
            }
        }
        Collections.sort(latencies);
        return new Result(locations.size() + errors.get(), errors.get(), incomplete, submitSeconds, totalSeconds,
                percentile(latencies, 50), percentile(latencies, 99), latencies.isEmpty() ? 0 : latencies.getLast());
    }

    /** The sample with the fields that identify an order made unique, and a consumer of its own. */
    static ObjectNode variant(ObjectNode sample, String run, int i) {
        ObjectNode d = sample.deepCopy();
        String n = run + String.format(Locale.ROOT, "%07d", i);
        d.put("guid", UUID.randomUUID().toString());
        ((ObjectNode) d.get("order")).put("orderNo", "TP" + n);
        ((ObjectNode) d.get("payment")).put("payTransactionId", "PAYTP" + n);
        ((ObjectNode) d.get("logistics")).put("logisticsNo", "WBTP" + n);
        // a consumer per declaration: the annual limit of one consumer would stop a long run
        String buyerId = ResidentId.random();
        ((ObjectNode) d.get("order").get("buyer")).put("idNumber", buyerId);
        ((ObjectNode) d.get("payment")).put("payerIdNumber", buyerId);
        return d;
    }

    private static JsonNode get(HttpClient http, Supplier<String> token, URI uri) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + token.get()).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Json.mapper().readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}

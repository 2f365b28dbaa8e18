package org.singlewindow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the systems keep themselves, read before and after a phase: PostgreSQL's commits
 * ({@code pg_stat_database.xact_commit}), WAL bytes and, where {@code pg_stat_statements} is loaded,
 * statements; RabbitMQ's publishes, deliveries and acknowledgements (its Prometheus endpoint, node-wide:
 * the benchmark is alone on the broker); every service's consumer batches ({@code sw_messages_batch_size},
 * messages taken per consumer transaction) and transactions per queue.
 */
final class SystemCounters {

    /** One reading. */
    record Snapshot(long commits, long walBytes, Long statements, Map<String, Double> broker, Map<String, double[]> batches) {
    }

    private static final Pattern BATCH = Pattern.compile("^sw_messages_batch_size_(count|sum)\\{[^}]*queue=\"([^\"]+)\"[^}]*} ([0-9.eE+-]+)$");
    private static final List<String> BROKER = List.of("rabbitmq_global_messages_received_total",
            "rabbitmq_global_messages_delivered_total", "rabbitmq_global_messages_acknowledged_total",
            "rabbitmq_global_messages_confirmed_total");

    private final String jdbcUrl;
    private final URI brokerMetrics;
    private final Map<String, URI> serviceMetrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    SystemCounters(String jdbcUrl, URI brokerMetrics, Map<String, URI> serviceMetrics) {
        this.jdbcUrl = jdbcUrl;
        this.brokerMetrics = brokerMetrics;
        this.serviceMetrics = serviceMetrics;
    }

    /** Where the server loads pg_stat_statements, make its view readable in the benchmark's database. */
    void enableStatementCounts() {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
        } catch (SQLException e) {
            // not available: statements are reported as absent
        }
    }

    Snapshot take() {
        long commits = 0;
        long wal = 0;
        Long statements = null;
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select sum(xact_commit)::bigint, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"
                    + " from pg_stat_database")) {
                rs.next();
                commits = rs.getLong(1);
                wal = rs.getLong(2);
            }
            try (ResultSet rs = s.executeQuery("select coalesce(sum(calls), 0)::bigint from pg_stat_statements")) {
                rs.next();
                statements = rs.getLong(1);
            } catch (SQLException notLoaded) {
                // pg_stat_statements needs shared_preload_libraries; reported as absent
            }
        } catch (SQLException e) {
            System.err.println("bench: PostgreSQL counters unavailable: " + e.getMessage());
        }
        Map<String, Double> broker = new LinkedHashMap<>();
        if (brokerMetrics != null) {
            for (String line : scrape(brokerMetrics)) {
                for (String name : BROKER) {
                    if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                        broker.merge(name.replace("rabbitmq_global_messages_", "").replace("_total", ""),
                                Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
                    }
                }
            }
        }
        Map<String, double[]> batches = new TreeMap<>();
        serviceMetrics.forEach((service, uri) -> {
            for (String line : scrape(uri)) {
                Matcher m = BATCH.matcher(line);
                if (m.matches()) {
                    double[] v = batches.computeIfAbsent(service + " " + m.group(2), k -> new double[2]);
                    v[m.group(1).equals("count") ? 0 : 1] += Double.parseDouble(m.group(3));
                }
            }
        });
        return new Snapshot(commits, wal, statements, broker, batches);
    }

    /** What happened between two readings, per declaration (and batch sizes as mean messages per batch). */
    static Map<String, Object> perDeclaration(Snapshot a, Snapshot b, long declarations) {
        Map<String, Object> out = new LinkedHashMap<>();
        double n = Math.max(1, declarations);
        out.put("commits", Report.round2((b.commits() - a.commits()) / n));
        out.put("walBytes", Report.round2((b.walBytes() - a.walBytes()) / n));
        out.put("statements", a.statements() == null || b.statements() == null ? null : Report.round2((b.statements() - a.statements()) / n));
        Map<String, Object> broker = new LinkedHashMap<>();
        b.broker().forEach((k, v) -> broker.put(k, Report.round2((v - a.broker().getOrDefault(k, 0.0)) / n)));
        out.put("broker", broker);
        Map<String, Object> batches = new LinkedHashMap<>();
        b.batches().forEach((k, v) -> {
            double[] before = a.batches().getOrDefault(k, new double[2]);
            double count = v[0] - before[0];
            if (count > 0) {
                batches.put(k, Map.of("batches", (long) count, "meanMessages", Report.round2((v[1] - before[1]) / count)));
            }
        });
        out.put("consumerBatches", batches);
        return out;
    }

    private List<String> scrape(URI uri) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body().lines().filter(l -> !l.startsWith("#")).toList() : List.of();
        } catch (Exception e) {
            return List.of();
        }
    }
}

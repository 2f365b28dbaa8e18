package org.singlewindow.sandbox;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A stand-in for the external exchange-rate provider, for the sandbox only: {@code GET /rates?base=USD}
 * answers today's table with fixed demo rates (not market data), published at the start of the current
 * hour. Production points {@code SW_FOREX_RATES_URL} at a real provider; the sandbox's
 * {@code --rates=URL} does the same. On its own, for a one-host demo ({@code infra/compose.yaml}):
 * {@code java -cp infra/sandbox/target/sw-sandbox.jar org.singlewindow.sandbox.DemoRateFeed 8181}.
 */
final class DemoRateFeed implements AutoCloseable {

    private static final String RATES = """
            {"CNY": 7.1000, "EUR": 0.9200, "GBP": 0.7900, "JPY": 150.00, "HKD": 7.8000, "KRW": 1380.0, "AUD": 1.5200, "USD": 1}""";

    private final HttpServer server;

    private DemoRateFeed(HttpServer server) {
        this.server = server;
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8181;
        DemoRateFeed feed = start(port, "0.0.0.0");
        System.out.println("demo rate feed (fixed demo rates, not market data) on " + feed.url() + "/rates?base=USD");
        Thread.currentThread().join();
    }

    static DemoRateFeed start(int port) {
        return start(port, "127.0.0.1");
    }

    private static DemoRateFeed start(int port, String host) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.createContext("/rates", exchange -> {
                String query = exchange.getRequestURI().getQuery();
                byte[] body;
                int status;
                if (!"GET".equals(exchange.getRequestMethod()) || query == null || !query.contains("base=USD")) {
                    status = 400;
                    body = "{\"error\": \"GET /rates?base=USD only\"}".getBytes(StandardCharsets.UTF_8);
                } else {
                    status = 200;
                    OffsetDateTime published = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
                    body = ("{\"base\": \"USD\", \"date\": \"" + LocalDate.now(ZoneId.of("Asia/Shanghai"))
                            + "\", \"publishedAt\": \"" + published + "\", \"rates\": " + RATES + "}")
                            .getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return new DemoRateFeed(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the demo rate feed on port " + port, e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

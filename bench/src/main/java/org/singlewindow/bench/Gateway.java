package org.singlewindow.bench;

import org.singlewindow.contract.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** The benchmark's view of the platform: the public API through the gateway, as an enterprise calls it. */
final class Gateway {

    private final URI base;
    private final Supplier<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    Gateway(URI base, Supplier<String> token) {
        this.base = base;
        this.token = token;
    }

    HttpResponse<String> post(String path, String json, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token.get())
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET a JSON resource; null unless 200. */
    JsonNode get(String pathOrLocation) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(pathOrLocation))
                            .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token.get()).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Json.mapper().readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The tax service's comprehensive tax for a basket ({@code POST /api/v1/tax/quotes}). */
    BigDecimal quote(ObjectNode request) {
        try {
            HttpResponse<String> response = post("/api/v1/tax/quotes", request.toString(), null);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("tax quote answered " + response.statusCode() + ": " + response.body());
            }
            return Json.mapper().readTree(response.body()).get("assessment").get("total").decimalValue();
        } catch (IOException e) {
            throw new IllegalStateException("tax quote failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stock every catalogue item in the bonded warehouse (idempotent per run key). */
    void stockIn(String runKey, long quantityEach) throws IOException, InterruptedException {
        ObjectNode body = Json.mapper().createObjectNode().put("warehouseCode", Declarations.WAREHOUSE)
                .put("ownerCode", Declarations.OWNER);
        var items = body.putArray("items");
        for (Declarations.Product p : Declarations.CATALOGUE) {
            items.addObject().put("itemRecordNo", p.itemRecordNo()).put("quantity", quantityEach)
                    .put("batchNo", "BENCH-" + runKey);
        }
        HttpResponse<String> response = post("/api/v1/logistics/stock-ins", body.toString(), "bench-stock-" + runKey);
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new IllegalStateException("stock-in answered " + response.statusCode() + ": " + response.body());
        }
    }
}

package org.singlewindow.sandbox;

import org.singlewindow.contract.Json;
import org.singlewindow.contract.ResidentId;
import org.singlewindow.contract.Samples;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Calls through the gateway as one of the realm's demo users, for the end-to-end tests. */
final class E2EClient {

    private final Platform platform;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A sample declaration of its own consumer (buyer = payer): no annual limit couples it to another test's. */
    static ObjectNode declarationOfANewBuyer() {
        ObjectNode json = Samples.declaration();
        String buyer = ResidentId.random();
        ((ObjectNode) json.get("order").get("buyer")).put("idNumber", buyer);
        ((ObjectNode) json.get("payment")).put("payerIdNumber", buyer);
        return json;
    }

    /** A direct import (9610) of a new buyer, its parcel arriving at the sandbox's site ZZKJ01. */
    static ObjectNode directImportOfANewBuyer() {
        ObjectNode json = Samples.directImport();
        String buyer = ResidentId.random();
        ((ObjectNode) json.get("order").get("buyer")).put("idNumber", buyer);
        ((ObjectNode) json.get("payment")).put("payerIdNumber", buyer);
        return json;
    }

    E2EClient(Platform platform) {
        this.platform = platform;
    }

    /** Submit as enterprise-a; returns the declaration id. */
    String submit(JsonNode declaration) throws Exception {
        HttpResponse<String> response = call("POST", "/api/v1/declarations", "enterprise-a", Json.mapper().writeValueAsString(declaration),
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response).get("id").asString();
    }

    /** Submit as this demo user; the answer as it is. */
    HttpResponse<String> submit(JsonNode declaration, String user) throws Exception {
        return call("POST", "/api/v1/declarations", user, Json.mapper().writeValueAsString(declaration),
                "Idempotency-Key", UUID.randomUUID().toString());
    }

    /** The declaration as enterprise-a sees it, once it has this status. */
    JsonNode awaitStatus(String id, String status) {
        return awaitStatus(id, status, "enterprise-a");
    }

    /** The declaration as its enterprise sees it, once it has this status. */
    JsonNode awaitStatus(String id, String status, String user) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = json(call("GET", "/api/v1/declarations/" + id, user, null));
            return status.equals(last[0].path("status").asString());
        });
        return last[0];
    }

    /** The declaration as enterprise-a sees it, once it is final (cleared, rejected or cancelled). */
    JsonNode awaitFinal(String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = json(call("GET", "/api/v1/declarations/" + id, "enterprise-a", null));
            return List.of("CLEARED", "REJECTED", "CANCELLED").contains(last[0].path("status").asString());
        });
        return last[0];
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }

    /** A call with a JSON body (or none) and optional header name/value pairs. */
    HttpResponse<String> call(String method, String path, String user, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.gateway() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + E2EPlatform.tokens().fresh(user))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

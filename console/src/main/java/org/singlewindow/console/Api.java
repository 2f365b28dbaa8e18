package org.singlewindow.console;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** What the console asks the API (through the gateway), and the problems it answers with, as data for the pages. */
@Component
public class Api {

    /** An answer: a body, or the API's problem. */
    public record Answer(int status, JsonNode body, Problem problem) {
        boolean ok() {
            return problem == null;
        }

        /** The body, or the error page of the API's status: 404 for what is not there or not the caller's. */
        JsonNode required() {
            if (!ok()) {
                throw new org.springframework.web.server.ResponseStatusException(HttpStatusCode.valueOf(status));
            }
            return body;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Problem(int status, String title, String detail, List<Violation> errors) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Violation(String field, String rule, String message) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Summary(UUID id, String declarationType, String ebpCode, String orderNo, String status, OffsetDateTime submittedAt,
                   OffsetDateTime updatedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page(List<Summary> items, int page, int size, long total) {
    }

    private final RestClient gateway;
    private final ObjectMapper json;

    Api(RestClient gateway, ObjectMapper json) {
        this.gateway = gateway;
        this.json = json;
    }

    /** A page of the enterprise's declarations, or the API's problem with the filters. */
    record Listing(Page page, Problem problem) {
    }

    Listing declarations(String status, String orderNo, int page) {
        Answer answer = get("/api/v1/declarations?size=20&page=" + page + (status == null ? "" : "&status=" + status)
                + (orderNo == null ? "" : "&orderNo=" + orderNo));
        if (!answer.ok()) {
            return new Listing(new Page(List.of(), page, 20, 0), answer.problem());
        }
        return new Listing(json.treeToValue(answer.body(), Page.class), null);
    }

    Answer get(String path) {
        return gateway.get().uri(path).accept(MediaType.APPLICATION_JSON).exchange((request, response) ->
                read(response.getStatusCode(), response.getBody().readAllBytes()));
    }

    Answer postJson(String path, byte[] body, String idempotencyKey) {
        return gateway.post().uri(path).contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", idempotencyKey).body(body)
                .exchange((request, response) -> read(response.getStatusCode(), response.getBody().readAllBytes()));
    }

    /** A JSON body (or none) to send as it is, answered with JSON. */
    Answer send(org.springframework.http.HttpMethod method, String path, Object body) {
        RestClient.RequestBodySpec request = gateway.method(method).uri(path).accept(MediaType.APPLICATION_JSON);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsBytes(body));
        }
        return request.exchange((req, response) -> read(response.getStatusCode(), response.getBody().readAllBytes()));
    }

    /** A JSON body with an Idempotency-Key (a deposit, say: the same key again is the same deposit). */
    Answer sendWithKey(org.springframework.http.HttpMethod method, String path, Object body, String idempotencyKey) {
        return gateway.method(method).uri(path).contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", idempotencyKey).body(json.writeValueAsBytes(body))
                .exchange((req, response) -> read(response.getStatusCode(), response.getBody().readAllBytes()));
    }

    /** A body of bytes as they are (a document to check or load), answered with JSON. */
    Answer sendBytes(org.springframework.http.HttpMethod method, String path, MediaType type, byte[] body) {
        return gateway.method(method).uri(path).contentType(type).accept(MediaType.APPLICATION_JSON).body(body)
                .exchange((req, response) -> read(response.getStatusCode(), response.getBody().readAllBytes()));
    }

    Answer postXml(String path, byte[] body) {
        return gateway.post().uri(path).contentType(MediaType.APPLICATION_XML).accept(MediaType.APPLICATION_JSON).body(body)
                .exchange((request, response) -> read(response.getStatusCode(), response.getBody().readAllBytes()));
    }

    private Answer read(HttpStatusCode status, byte[] bytes) {
        try {
            JsonNode body = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
            if (status.is2xxSuccessful()) {
                return new Answer(status.value(), body, null);
            }
            Problem problem = body.has("status") ? json.treeToValue(body, Problem.class)
                    : new Problem(status.value(), "Error " + status.value(), null, List.of());
            return new Answer(status.value(), body, problem);
        } catch (RuntimeException e) {
            return new Answer(status.value(), null, new Problem(status.value(), "Error " + status.value(),
                    new String(bytes, java.nio.charset.StandardCharsets.UTF_8), List.of()));
        }
    }
}

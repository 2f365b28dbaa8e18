package org.singlewindow.gateway;

import org.singlewindow.contract.Json;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;

/** The gateway's own answers (401, 403, 429, 503 from its filters) as {@code application/problem+json}. */
public final class Problems {

    private Problems() {
    }

    /** Write the problem as the response; headers such as WWW-Authenticate or Retry-After are set before. */
    public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://singlewindow.org/problems/" + status.value());
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", exchange.getRequest().getPath().value());
        var response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(Json.mapper().writeValueAsBytes(problem))));
    }
}

package org.singlewindow.kit.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Violation;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The problem+json body every error leaves with (RFC 9457), for the places that answer before a
 * controller runs (security filters, the request-body guard) and for {@link ProblemHandler}. The list of
 * field errors is capped at {@value #MAX_ERRORS} (the count of the rest in {@code errorsOmitted}) and each
 * message at {@value #MAX_MESSAGE} characters: an answer never grows with a hostile request.
 */
public final class Problems {

    public static final int MAX_ERRORS = 100;
    static final int MAX_MESSAGE = 300;

    private Problems() {
    }

    /** The members of a problem, in RFC 9457's order, then {@code errors} and {@code correlationId}. */
    public static Map<String, Object> body(HttpServletRequest request, HttpStatus status, String title, String detail,
                                           List<Violation> violations) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://singlewindow.org/problems/" + status.value());
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        extensions(request, violations, problem::put);
        return problem;
    }

    /** The kit's members beyond RFC 9457's own: {@code errors} (capped), {@code errorsOmitted}, {@code correlationId}. */
    static void extensions(HttpServletRequest request, List<Violation> violations, BiConsumer<String, Object> put) {
        if (!violations.isEmpty()) {
            put.accept("errors", violations.stream().limit(MAX_ERRORS)
                    .map(v -> Map.of("field", clip(v.field()), "rule", clip(v.rule()), "message", clip(v.message())))
                    .toList());
            if (violations.size() > MAX_ERRORS) {
                put.accept("errorsOmitted", violations.size() - MAX_ERRORS);
            }
        }
        Object correlation = request.getAttribute(CorrelationIdFilter.ATTRIBUTE);
        if (correlation != null) {
            put.accept("correlationId", correlation.toString());
        }
    }

    /** Write a problem as the whole response. */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title,
                             String detail, List<Violation> violations) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(Json.mapper().writeValueAsBytes(body(request, status, title, detail, violations)));
    }

    private static String clip(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}

package org.singlewindow.kit.web;

import org.singlewindow.contract.Violation;
import org.springframework.http.HttpStatus;

import java.util.List;

/** An error a client caused, answered as {@code application/problem+json} with its status. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final List<Violation> violations;

    public ApiException(HttpStatus status, String title, String detail, List<Violation> violations) {
        super(detail);
        this.status = status;
        this.title = title;
        this.violations = List.copyOf(violations);
    }

    public static ApiException invalid(List<Violation> violations) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request",
                violations.size() + " field(s) break the message standard", violations);
    }

    public static ApiException invalid(String field, String rule, String message) {
        return invalid(List.of(new Violation(field, rule, message)));
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", what + " does not exist", List.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", detail, List.of());
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Violation> violations() {
        return violations;
    }
}

package org.singlewindow.kit.web;

import jakarta.servlet.http.HttpServletRequest;
import org.singlewindow.contract.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

import java.net.URI;
import java.util.List;

/**
 * Every error leaves as {@code application/problem+json} (RFC 9457) with, where fields are at fault,
 * an {@code errors} array of {@code {field, rule, message}}. Client mistakes are 4xx; only a fault of
 * ours is a 500, logged with its correlation id.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
        return problem(e.status(), e.title(), e.getMessage(), e.violations(), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Throwable cause = e.getCause();
        String field = "";
        String message = "the body is not valid JSON";
        if (cause instanceof DatabindException databind) {
            field = pointer(databind);
            message = databind.getOriginalMessage();
        } else if (cause instanceof JacksonException jackson) {
            message = "the body is not valid JSON: " + jackson.getOriginalMessage();
        } else if (e.getMessage() != null && e.getMessage().contains("Required request body is missing")) {
            message = "a JSON body is required";
        }
        return problem(HttpStatus.BAD_REQUEST, "Malformed request", message,
                List.of(new Violation(field, "json", message)), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String expected = e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName();
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "parameter '" + e.getName() + "' is not a valid " + expected,
                List.of(new Violation(e.getName(), "type", "must be a valid " + expected)), request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(),
                List.of(new Violation(e.getParameterName(), "required", "is required")), request);
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(),
                List.of(new Violation(e.getHeaderName(), "required", "header is required")), request);
    }

    /** Spring MVC's own 4xx (405, 406, 415, 404 for no handler, ...), kept as problem+json. */
    private ResponseEntity<ProblemDetail> framework(ErrorResponse error, HttpServletRequest request) {
        HttpStatusCode status = error.getStatusCode();
        ProblemDetail body = error.getBody();
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.valueOf(status.value()),
                body.getTitle() == null ? HttpStatus.valueOf(status.value()).getReasonPhrase() : body.getTitle(),
                body.getDetail(), List.of(), request);
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(response.getHeaders());
        headers.putAll(error.getHeaders());
        return new ResponseEntity<>(response.getBody(), headers, response.getStatusCode());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse error && error.getStatusCode().is4xxClientError()) {
            return framework(error, request);
        }
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "an unexpected error occurred; quote the correlation id when reporting it", List.of(), request);
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail,
                                                 List<Violation> violations, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("https://singlewindow.org/problems/" + status.value()));
        problem.setInstance(URI.create(request.getRequestURI()));
        Problems.extensions(request, violations, problem::setProperty);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String pointer(DatabindException e) {
        StringBuilder out = new StringBuilder();
        for (var ref : e.getPath()) {
            out.append('/');
            if (ref.getPropertyName() != null) {
                out.append(ref.getPropertyName());
            } else {
                out.append(ref.getIndex());
            }
        }
        return out.toString();
    }
}

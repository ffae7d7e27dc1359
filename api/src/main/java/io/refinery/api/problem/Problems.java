package io.refinery.api.problem;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;
import java.util.Map;

/** RFC 9457 problems the handlers throw; every one of them says what was wrong in {@code detail}. */
public final class Problems {

    private Problems() {
    }

    public static ErrorResponseException of(HttpStatus status, String detail) {
        return of(status, detail, Map.of());
    }

    public static ErrorResponseException of(HttpStatus status, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://refinery.io/problems/" + status.name().toLowerCase().replace('_', '-')));
        properties.forEach(problem::setProperty);
        return new ErrorResponseException(status, problem, null);
    }

    public static ErrorResponseException badRequest(String detail) {
        return of(HttpStatus.BAD_REQUEST, detail);
    }

    /** A 400 that names the offending input field (query parameter, path variable or body property). */
    public static ErrorResponseException invalidField(String field, String detail) {
        return of(HttpStatus.BAD_REQUEST, field + ": " + detail,
                Map.of("errors", java.util.List.of(Map.of("field", field, "message", detail))));
    }

    public static ErrorResponseException notFound(String detail) {
        return of(HttpStatus.NOT_FOUND, detail);
    }

    public static ErrorResponseException conflict(String detail, Map<String, Object> properties) {
        return of(HttpStatus.CONFLICT, detail, properties);
    }

    public static ErrorResponseException unavailable(String detail) {
        return of(HttpStatus.SERVICE_UNAVAILABLE, detail);
    }

    public static ErrorResponseException tooLarge(String detail) {
        return of(HttpStatus.PAYLOAD_TOO_LARGE, detail);
    }
}

package io.refinery.api.problem;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.refinery.forecasting.ForecastRuns;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import io.refinery.warehouse.QueryLimitExceededException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every error of a handler becomes an RFC 9457 problem ({@code application/problem+json}) whose
 * detail says what to fix; validation errors name the field. Internal errors say nothing internal.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<Map<String, Object>> errors = ex.getFieldErrors().stream()
                .map(e -> Map.<String, Object>of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
                .collect(Collectors.toList());
        ex.getGlobalErrors().forEach(e -> errors.add(Map.of("field", e.getObjectName(),
                "message", String.valueOf(e.getDefaultMessage()))));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, errors.stream()
                .map(e -> e.get("field") + ": " + e.get("message")).collect(Collectors.joining("; ")));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<Map<String, Object>> errors = ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(e -> Map.<String, Object>of(
                        "field", parameterName(r.getMethodParameter()), "message", String.valueOf(e.getDefaultMessage()))))
                .toList();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, errors.stream()
                .map(e -> e.get("field") + ": " + e.get("message")).collect(Collectors.joining("; ")));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        Throwable cause = ex.getCause();
        if (hasCause(ex, DataBufferLimitException.class)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE,
                    "the request body is larger than this endpoint accepts");
            return handleExceptionInternal(ex, problem, headers, HttpStatus.PAYLOAD_TOO_LARGE, exchange);
        }
        String detail;
        String field = null;
        JsonMappingException mapping = find(ex, JsonMappingException.class);
        if (mapping != null) {
            field = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            if (mapping instanceof UnrecognizedPropertyException unknown) {
                detail = "unknown field '" + unknown.getPropertyName() + "'";
            } else if (mapping instanceof InvalidFormatException invalid) {
                detail = "'" + invalid.getValue() + "' is not a valid " + invalid.getTargetType().getSimpleName();
            } else if (mapping instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
                detail = "expected a value of type " + mismatched.getTargetType().getSimpleName();
            } else {
                detail = mapping.getOriginalMessage();
            }
        } else if (cause instanceof DecodingException) {
            detail = ex.getReason() != null && ex.getReason().startsWith("No request body")
                    ? "the request body is empty" : "the request body is not valid JSON";
        } else {
            detail = ex.getReason() != null ? ex.getReason() : "invalid request";
            if (ex.getMethodParameter() != null) {
                field = parameterName(ex.getMethodParameter());
            }
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                field == null || field.isEmpty() ? detail : field + ": " + detail);
        problem.setTitle("Invalid request");
        if (field != null && !field.isEmpty()) {
            problem.setProperty("errors", List.of(Map.of("field", field, "message", detail)));
        }
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, exchange);
    }

    /** Problems Spring creates itself (413, 405, 406, 415…) get a detail when they have none. */
    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        if (body == null && ex instanceof org.springframework.web.ErrorResponse error) {
            body = error.getBody();
        }
        if (body instanceof ProblemDetail problem && problem.getDetail() == null) {
            problem.setDetail(status.value() == 413 ? "the request body is larger than this endpoint accepts"
                    : ex.getMessage());
        }
        return super.handleExceptionInternal(ex, body, headers, status, exchange);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException ex) {
        var errors = ex.getConstraintViolations().stream().map(v -> {
            String path = v.getPropertyPath().toString();
            return Map.<String, Object>of("field", path.substring(path.lastIndexOf('.') + 1), "message", v.getMessage());
        }).toList();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, errors.stream()
                .map(e -> e.get("field") + ": " + e.get("message")).collect(Collectors.joining("; ")));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(ForecastRuns.RunAlreadyActiveException.class)
    ResponseEntity<ProblemDetail> runAlreadyActive(ForecastRuns.RunAlreadyActiveException ex) {
        ErrorResponseException problem = Problems.conflict(ex.getMessage(), Map.of("activeRunId", ex.activeRunId()));
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem.getBody());
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ProblemDetail> tooLarge(DataBufferLimitException ex) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(ProblemDetail.forStatusAndDetail(
                HttpStatus.PAYLOAD_TOO_LARGE, "the request body is larger than this endpoint accepts"));
    }

    /** A query stopped by a warehouse guardrail: the caller asked for more than a query may use. */
    @ExceptionHandler(QueryLimitExceededException.class)
    ResponseEntity<ProblemDetail> queryLimit(QueryLimitExceededException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, ex.getMessage());
        problem.setTitle("Query exceeds the warehouse's resource limits");
        return ResponseEntity.unprocessableEntity().body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        QueryLimitExceededException limit = find(ex, QueryLimitExceededException.class);
        if (limit != null) {
            return queryLimit(limit);
        }
        log.error("Unhandled error", ex);
        return ResponseEntity.internalServerError().body(ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "an internal error occurred; it has been logged"));
    }

    private static String parameterName(org.springframework.core.MethodParameter parameter) {
        var requestParam = parameter.getParameterAnnotation(org.springframework.web.bind.annotation.RequestParam.class);
        if (requestParam != null && !requestParam.name().isEmpty()) {
            return requestParam.name();
        }
        var pathVariable = parameter.getParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class);
        if (pathVariable != null && !pathVariable.name().isEmpty()) {
            return pathVariable.name();
        }
        return String.valueOf(parameter.getParameterName());
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        return find(ex, type) != null;
    }

    private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}

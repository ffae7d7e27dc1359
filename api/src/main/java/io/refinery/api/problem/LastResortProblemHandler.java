package io.refinery.api.problem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Errors that never reach a handler method (no route matched, a filter failed, a static resource is
 * missing) are problems too, before Spring Boot's default error page would answer.
 */
@Component
@Order(-2)
class LastResortProblemHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(LastResortProblemHandler.class);

    private final ProblemWriter writer;

    LastResortProblemHandler(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        ProblemDetail problem;
        if (ex instanceof ErrorResponse error) {
            problem = error.getBody();
            if (problem.getDetail() == null) {
                problem.setDetail(problem.getStatus() == 413 ? "the request body is larger than this endpoint accepts"
                        : problem.getTitle());
            }
            error.getHeaders().forEach((name, values) -> exchange.getResponse().getHeaders().addAll(name, values));
        } else {
            log.error("Unhandled error on {}", exchange.getRequest().getPath(), ex);
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                    "an internal error occurred; it has been logged");
        }
        return writer.write(exchange, problem);
    }
}

package io.refinery.ingestion.admin;

/** A route change that was refused (invalid definition, unknown route, Camel refused it). */
public class RouteAdminException extends RuntimeException {

    public RouteAdminException(String message) {
        super(message);
    }

    public RouteAdminException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.refinery.ingestion.admin;

import io.refinery.ingestion.RouteDefinition;

import java.time.Instant;

/**
 * A route as the admin shows it: its definition (secrets by reference only), whether it should run,
 * what Camel says it is doing, and who changed it last.
 */
public record RouteView(RouteDefinition definition, String desiredState, String status, String updatedBy,
                        Instant updatedAt) {

    public static final String STARTED = "started";
    public static final String STOPPED = "stopped";
}

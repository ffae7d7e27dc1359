package io.refinery.warehouse.jobs;

import java.time.Instant;

/** Filters of the run history; null or blank means "any". {@code from}/{@code to} bound the start time. */
public record JobRunFilter(String job, String scope, String status, String trigger, String lane, Instant from,
                           Instant to) {

    public static JobRunFilter all() {
        return new JobRunFilter(null, null, null, null, null, null, null);
    }
}

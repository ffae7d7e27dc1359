package io.refinery.ops.orchestration;

import io.refinery.warehouse.jobs.JobRunRow;
import io.refinery.warehouse.lease.LeaseState;

import java.util.List;

/** A job of the graph as the API shows it: its triggers, limits, lease holders and newest runs. */
public record JobView(String name, String description, String lane, List<String> upstream, String schedule,
                      List<String> scopes, long timeoutSeconds, int maxAttempts, List<LeaseState> leases,
                      List<JobRunRow> latestRuns) {
}

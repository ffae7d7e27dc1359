package io.refinery.ops.orchestration;

import io.refinery.ops.quality.CheckResult;
import io.refinery.ops.quality.QualityGates;
import io.refinery.warehouse.jobs.AssetVersions;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The quality gates as a node of the graph: runs every declared check when served demand changes
 * (and daily); a failing blocking check halts the run (no retry), so {@code job:quality-checks} does
 * not change and the forecast job, wired downstream of it, does not run.
 */
final class QualityChecksJob implements JobStep {

    static final String NAME = "quality-checks";

    private final QualityGates gates;

    QualityChecksJob(QualityGates gates) {
        this.gates = gates;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Runs the declared quality checks of every table; a failing blocking check halts the forecast";
    }

    @Override
    public List<String> upstream() {
        return List.of(AssetVersions.SERVED_DEMAND);
    }

    @Override
    public String schedule() {
        return "0 30 1 * * *";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(20);
    }

    @Override
    public void run(JobContext context) {
        List<CheckResult> results = gates.runAll();
        List<CheckResult> blocking = results.stream().filter(CheckResult::failingBlocking).toList();
        context.detail(results.size() + " checks, " + blocking.size() + " failing blocking");
        if (!blocking.isEmpty()) {
            context.halt("blocking quality checks fail: " + blocking.stream()
                    .map(r -> r.table() + "." + r.check()).collect(Collectors.joining(", ")));
        }
    }
}

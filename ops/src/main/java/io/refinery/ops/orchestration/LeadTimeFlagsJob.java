package io.refinery.ops.orchestration;

import io.refinery.forecasting.LeadTimeAnomalies;

import java.time.Duration;
import java.util.List;

/** Scores lead times of newly received PO lines when the served lead times change (one replica at a time). */
final class LeadTimeFlagsJob implements JobStep {

    private final LeadTimeAnomalies anomalies;

    LeadTimeFlagsJob(LeadTimeAnomalies anomalies) {
        this.anomalies = anomalies;
    }

    @Override
    public String name() {
        return "lead-time-flags";
    }

    @Override
    public String description() {
        return "Flags anomalous supplier lead times of newly received PO lines";
    }

    @Override
    public List<String> upstream() {
        return List.of(io.refinery.warehouse.jobs.AssetVersions.SERVED_LEAD_TIMES);
    }

    @Override
    public String schedule() {
        return "0 30 3 * * *"; // daily retraining on everything scored so far
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(20);
    }

    @Override
    public void run(JobContext context) {
        if ("schedule".equals(context.trigger())) {
            anomalies.retrain();
        }
        int flagged = anomalies.scoreNewReceipts();
        context.detail(flagged + " lead times flagged");
    }
}

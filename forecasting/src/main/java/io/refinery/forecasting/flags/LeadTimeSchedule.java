package io.refinery.forecasting.flags;

import io.refinery.forecasting.LeadTimeAnomalies;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This module's own timing of lead-time scoring and retraining, for a single process. Off with
 * {@code refinery.forecasting.own-triggers=false}, when the ops orchestrator runs them once across replicas.
 */
@Component
@ConditionalOnProperty(name = "refinery.forecasting.own-triggers", havingValue = "true", matchIfMissing = true)
class LeadTimeSchedule {

    private final LeadTimeAnomalies anomalies;

    LeadTimeSchedule(LeadTimeAnomalies anomalies) {
        this.anomalies = anomalies;
    }

    @Scheduled(fixedDelayString = "${refinery.forecasting.lead-time-poll:10s}", initialDelayString = "20s")
    void poll() {
        anomalies.scoreNewReceipts();
    }

    @Scheduled(cron = "${refinery.forecasting.lead-time-retrain:0 30 3 * * *}", zone = "UTC")
    void retrain() {
        anomalies.retrain();
    }
}

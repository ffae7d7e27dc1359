package io.refinery.ops.quality;

import io.refinery.forecasting.ForecastRequest;
import io.refinery.forecasting.RunGate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Forecast runs wait for the quality gates: a failing blocking check of a table that feeds forecasts
 * halts them. {@code refinery.quality.gate-forecasts=false} lets forecasts run regardless (results
 * are still stored and shown).
 */
@Component
@ConditionalOnProperty(name = "refinery.quality.gate-forecasts", havingValue = "true", matchIfMissing = true)
class QualityRunGate implements RunGate {

    static final String FORECAST = "forecast";

    private final QualityGates gates;

    QualityRunGate(QualityGates gates) {
        this.gates = gates;
    }

    @Override
    public Optional<String> blockedBecause(ForecastRequest request) {
        return gates.blockedBecause(FORECAST);
    }
}

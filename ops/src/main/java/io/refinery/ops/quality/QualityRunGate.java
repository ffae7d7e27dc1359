package io.refinery.ops.quality;

import io.refinery.forecasting.ForecastRequest;
import io.refinery.forecasting.RunGate;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** Forecast runs wait for the quality gates: a failing blocking check of a table that feeds forecasts halts them. */
@Component
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

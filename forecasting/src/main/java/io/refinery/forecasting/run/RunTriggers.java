package io.refinery.forecasting.run;

import io.refinery.forecasting.ForecastRequest;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.forecasting.ForecastingProperties;
import io.refinery.forecasting.Scope;
import io.refinery.warehouse.forecast.ForecastStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;

/**
 * (Off with {@code refinery.forecasting.own-triggers=false}, when the ops orchestrator triggers runs
 * once across replicas.)
 * Starts runs of the whole scope on a schedule and when the served demand they read has changed
 * (an asset trigger): once per change, and not more often than the quiet period allows.
 */
@Component
@ConditionalOnProperty(name = "refinery.forecasting.own-triggers", havingValue = "true", matchIfMissing = true)
class RunTriggers {

    private static final Logger log = LoggerFactory.getLogger(RunTriggers.class);

    private final ForecastRunService runs;
    private final ForecastStore store;
    private final ForecastingProperties properties;
    private final Clock clock;
    private long lastSeenVersion = -1;
    private Instant lastDataRun = Instant.MIN;

    RunTriggers(ForecastRunService runs, ForecastStore store, ForecastingProperties properties) {
        this.runs = runs;
        this.store = store;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    @Scheduled(cron = "${refinery.forecasting.schedule:0 0 2 * * *}", zone = "UTC")
    void onSchedule() {
        start("schedule");
    }

    @Scheduled(fixedDelayString = "${refinery.forecasting.data-trigger-interval:30s}",
            initialDelayString = "${refinery.forecasting.data-trigger-interval:30s}")
    void onDataCheck() {
        if (properties.dataTriggerInterval().isZero()) {
            return;
        }
        checkForChangedData();
    }

    /** Starts a run when the served demand changed since the last look; returns whether it did. */
    synchronized boolean checkForChangedData() {
        long version = store.demandSnapshot().version();
        if (version == 0 || version == lastSeenVersion) {
            return false;
        }
        Instant now = clock.instant();
        if (now.isBefore(lastDataRun.plus(properties.dataTriggerQuietPeriod())) || runs.active(Scope.ALL)) {
            return false; // the change is picked up at the next look after the quiet period
        }
        lastSeenVersion = version;
        lastDataRun = now;
        return start("data-changed");
    }

    private boolean start(String trigger) {
        try {
            runs.start(new ForecastRequest(properties.scheduledGrain(), properties.scheduledHorizon(), Scope.ALL),
                    "refinery", trigger);
            return true;
        } catch (ForecastRuns.RunAlreadyActiveException e) {
            log.info("Skipped a {} forecast run: {}", trigger, e.getMessage());
            return false;
        }
    }
}

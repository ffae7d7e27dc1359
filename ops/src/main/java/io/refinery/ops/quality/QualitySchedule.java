package io.refinery.ops.quality;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs every check every {@code refinery.quality.interval} until the orchestration graph takes
 * over (it will call {@link QualityGates#runAll()} as its "quality checks" job). 0 turns it off.
 */
@Component
class QualitySchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QualitySchedule.class);

    private final QualityGates gates;
    private final QualityProperties properties;
    private volatile ScheduledExecutorService executor;

    QualitySchedule(QualityGates gates, QualityProperties properties) {
        this.gates = gates;
        this.properties = properties;
    }

    @Override
    public void start() {
        if (properties.interval().isZero() || properties.interval().isNegative()) {
            log.info("Scheduled quality checks are off (refinery.quality.interval = 0)");
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("quality-checks").daemon().factory());
        executor.scheduleWithFixedDelay(this::runAll, properties.initialDelay().toMillis(),
                properties.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runAll() {
        try {
            gates.runAll();
        } catch (RuntimeException e) {
            // The next run tries again; a scheduled task that throws would never run again.
            log.warn("Scheduled quality run failed", e);
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        if (running != null) {
            running.shutdownNow();
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}

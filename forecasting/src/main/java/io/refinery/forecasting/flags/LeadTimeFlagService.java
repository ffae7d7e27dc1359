package io.refinery.forecasting.flags;

import io.refinery.forecasting.LeadTimeAnomalies;
import io.refinery.forecasting.LeadTimeAnomaly;
import io.refinery.forecasting.leadtime.FeatureContribution;
import io.refinery.forecasting.leadtime.LeadTimeAnomalyDetector;
import io.refinery.forecasting.leadtime.LeadTimeDetectorSettings;
import io.refinery.forecasting.leadtime.LeadTimeFlag;
import io.refinery.forecasting.leadtime.PurchaseOrderLine;
import io.refinery.forecasting.leadtime.Receipt;
import io.refinery.warehouse.forecast.ForecastRows.AnomalyFilter;
import io.refinery.warehouse.forecast.ForecastRows.AnomalyRow;
import io.refinery.warehouse.forecast.ForecastRows.LeadTimeRow;
import io.refinery.warehouse.forecast.ForecastStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores every PO line's lead time as its first receipt lands (polling the served lead times for
 * receipts newer than the last one scored) and stores the anomalous ones with their expected range
 * and drivers. The forest is trained on the older history and retrained on a schedule; each flag
 * names the model version that raised it.
 */
@Service
class LeadTimeFlagService implements LeadTimeAnomalies {

    private static final Logger log = LoggerFactory.getLogger(LeadTimeFlagService.class);
    /** Receipts younger than this are scored as a stream rather than used for the first training. */
    static final Duration STREAMED_WINDOW = Duration.ofDays(365);
    private static final int MIN_TRAINING_RECEIPTS = 200;

    private final ForecastStore store;
    private final ApplicationEventPublisher events;
    private LeadTimeAnomalyDetector detector;
    private Instant watermark;

    LeadTimeFlagService(ForecastStore store, ApplicationEventPublisher events) {
        this.store = store;
        this.events = events;
    }

    /** Scores receipts that landed since the last call; trains first when there is no model yet. */
    @Override
    public synchronized int scoreNewReceipts() {
        if (detector == null && !train(Instant.now().minus(STREAMED_WINDOW))) {
            return 0;
        }
        int flagged = 0;
        for (LeadTimeRow row : store.leadTimes(watermark)) {
            if (!row.firstReceivedAt().isAfter(watermark)) {
                continue; // scored in the previous pass (same millisecond)
            }
            LeadTimeFlag flag = detector.score(line(row), receipt(row));
            watermark = row.firstReceivedAt();
            // Another replica (or this one before a restart) may have flagged it already: keep that flag
            // and its acknowledgement rather than overwrite them.
            if (flag.anomalous() && find(row.poLineId()).isEmpty()) {
                AnomalyRow stored = toRow(row, flag);
                store.saveAnomaly(stored);
                events.publishEvent(toAnomaly(stored));
                flagged++;
            }
        }
        return flagged;
    }

    /** Retrains on everything scored so far (daily by default); scoring continues from the watermark. */
    @Override
    public synchronized void retrain() {
        if (watermark != null) {
            train(watermark.plusMillis(1));
        }
    }

    /** Trains on receipts before {@code until}; false when there are too few to learn from. */
    synchronized boolean train(Instant until) {
        List<LeadTimeRow> history = store.leadTimes(null).stream()
                .filter(r -> r.firstReceivedAt().isBefore(until)).toList();
        if (history.size() < MIN_TRAINING_RECEIPTS) {
            return false;
        }
        detector = LeadTimeAnomalyDetector.train(history.stream().map(LeadTimeFlagService::line).toList(),
                history.stream().map(LeadTimeFlagService::receipt).toList(), LeadTimeDetectorSettings.defaults());
        watermark = history.getLast().firstReceivedAt();
        store.saveModelVersion(detector.version().id(), "lead-time-isolation-forest", Instant.now(),
                detector.provenance().toString(), Map.of("training_receipts", (double) history.size()));
        log.info("Trained lead-time model {} on {} receipts", detector.version().id(), history.size());
        return true;
    }

    @Override
    public List<LeadTimeAnomaly> find(Query q) {
        return store.anomalies(filter(q), Math.max(0, q.offset()), q.limit() <= 0 ? 100 : Math.min(q.limit(), 10_000))
                .stream().map(LeadTimeFlagService::toAnomaly).toList();
    }

    @Override
    public long count(Query q) {
        return store.countAnomalies(filter(q));
    }

    @Override
    public Optional<LeadTimeAnomaly> find(String poLineId) {
        return store.anomalies(new AnomalyFilter(poLineId, null, null, null, null, null, null), 0, 1).stream()
                .findFirst().map(LeadTimeFlagService::toAnomaly);
    }

    @Override
    public boolean acknowledge(String poLineId, String user) {
        Optional<AnomalyRow> row = store.anomalies(new AnomalyFilter(poLineId, null, null, null, null, null, null), 0, 1)
                .stream().findFirst();
        row.ifPresent(a -> store.saveAnomaly(new AnomalyRow(a.poLineId(), a.supplier(), a.sku(), a.location(),
                a.orderedAt(), a.promisedDate(), a.receivedAt(), a.leadTimeDays(), a.delayDays(), a.score(),
                a.expectedLowDays(), a.expectedHighDays(), a.drivers(), a.modelVersion(), a.flaggedAt(), true, user)));
        return row.isPresent();
    }

    private static AnomalyFilter filter(Query q) {
        return new AnomalyFilter(null, q.supplier(), q.sku(), q.location(), q.from(), q.to(), q.acknowledged());
    }

    private static PurchaseOrderLine line(LeadTimeRow r) {
        return new PurchaseOrderLine(r.poLineId(), r.supplier(), r.sku(), r.location(), r.orderedQuantity(),
                r.orderedAt(), r.promisedDate());
    }

    private static Receipt receipt(LeadTimeRow r) {
        return new Receipt(r.poLineId() + "/first", r.poLineId(), r.orderedQuantity(), r.firstReceivedAt());
    }

    private static AnomalyRow toRow(LeadTimeRow row, LeadTimeFlag flag) {
        Map<String, Double> drivers = new LinkedHashMap<>();
        for (FeatureContribution c : flag.drivers()) {
            drivers.put(c.feature(), c.share());
        }
        return new AnomalyRow(row.poLineId(), row.supplier(), row.sku(), row.location(), row.orderedAt(),
                row.promisedDate(), row.firstReceivedAt(), flag.leadTimeDays(), flag.delayDays(), flag.score(),
                flag.expectedLeadTime().p5Days(), flag.expectedLeadTime().p95Days(), drivers, flag.modelVersion(),
                Instant.now(), false, "");
    }

    private static LeadTimeAnomaly toAnomaly(AnomalyRow a) {
        return new LeadTimeAnomaly(a.poLineId(), a.supplier(), a.sku(), a.location(), a.orderedAt(), a.promisedDate(),
                a.receivedAt(), a.leadTimeDays(), a.delayDays(), a.score(), a.expectedLowDays(), a.expectedHighDays(),
                a.drivers(), a.modelVersion(), a.flaggedAt(), a.acknowledged(), a.acknowledgedBy());
    }
}

package io.refinery.forecasting.leadtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Turns a PO line and one of its receipts into the forest's feature vector. Supplier and lane enter
 * through their recent lead-time statistics rather than one-hot columns: an isolation tree picks
 * split features uniformly, and dozens of sparse identity columns would drown the few that carry
 * the lateness signal.
 */
final class LeadTimeFeatures {

    static final List<String> NAMES = List.of(
            "lead_time_log_days",          // ln(1 + ordered -> received days): lead time on a scale where lanes compare
            "delay_vs_promise",            // (received - promised date) / promised lead time: lateness against the quote
            "lead_time_vs_lane",           // robust z-score against the lane's recent lead times
            "lead_time_vs_supplier",       // robust z-score against the supplier's recent lead times
            "lead_time_ratio_to_lane",     // lead time / lane median: lateness relative to the lane's scale
            "lane_median_lead_time",       // what the lane normally takes (stands in for the lane identity)
            "supplier_late_share",         // share of the supplier's recent receipts past their promised date
            "quantity_vs_lane",            // ln(ordered quantity / lane's median ordered quantity)
            "season_sin",                  // month of the order on the unit circle, so December neighbours January
            "season_cos");

    private static final double SECONDS_PER_DAY = 86_400.0;

    private LeadTimeFeatures() {
    }

    static double leadTimeDays(PurchaseOrderLine line, Receipt receipt) {
        return days(line.orderedAt(), receipt.receivedAt());
    }

    /** Days after the promised date (its start, UTC) the goods arrived; negative when early. */
    static double delayDays(PurchaseOrderLine line, Receipt receipt) {
        return days(promisedAt(line), receipt.receivedAt());
    }

    /**
     * Features of {@code receipt} given only the history recorded before it landed. Lane and
     * supplier statistics are passed in because the caller needs them too.
     */
    static double[] extract(PurchaseOrderLine line, Receipt receipt, LeadTimeHistory.Summary lane,
            LeadTimeHistory.Summary supplier) {
        double leadTime = leadTimeDays(line, receipt);
        double promisedLeadTime = Math.max(1.0, days(line.orderedAt(), promisedAt(line)));
        // A lane seen for the first time borrows its supplier's history; with neither, the receipt
        // is compared with itself, i.e. looks ordinary, since nothing says otherwise.
        LeadTimeHistory.Summary laneOrSupplier = lane.count() > 0 ? lane : supplier;
        double laneMedian = laneOrSupplier.count() > 0 ? laneOrSupplier.median() : leadTime;
        double month = line.orderedAt().atZone(ZoneOffset.UTC).getMonthValue() - 1;
        double angle = 2 * Math.PI * month / 12.0;
        double quantityVsLane = laneOrSupplier.count() > 0 && laneOrSupplier.medianQuantity() > 0 && line.quantity() > 0
                ? Math.log(line.quantity() / laneOrSupplier.medianQuantity())
                : 0.0;
        return new double[] {
                Math.log1p(Math.max(0.0, leadTime)),
                delayDays(line, receipt) / promisedLeadTime,
                zScore(leadTime, laneOrSupplier),
                zScore(leadTime, supplier),
                laneMedian > 0 ? leadTime / laneMedian : 1.0,
                laneMedian,
                supplier.count() > 0 ? supplier.lateShare() : 0.0,
                quantityVsLane,
                Math.sin(angle),
                Math.cos(angle)};
    }

    static LeadTimeHistory.Observation observation(PurchaseOrderLine line, Receipt receipt) {
        return new LeadTimeHistory.Observation(receipt.receivedAt(), leadTimeDays(line, receipt),
                delayDays(line, receipt), line.quantity());
    }

    private static Instant promisedAt(PurchaseOrderLine line) {
        return line.promisedDate().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static double zScore(double leadTime, LeadTimeHistory.Summary summary) {
        return summary.count() > 0 ? (leadTime - summary.median()) / summary.robustSpread() : 0.0;
    }

    private static double days(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0 / SECONDS_PER_DAY;
    }
}

package io.refinery.forecasting.leadtime;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The most recent receipts per lane and per supplier. Queries take the instant of the receipt being
 * scored and only look at receipts strictly before it, so features are point-in-time correct even
 * when several receipts land at the same instant or arrive slightly out of order.
 */
final class LeadTimeHistory {

    record Observation(Instant receivedAt, double leadTimeDays, double delayDays, double orderedQuantity) {
    }

    /** Robust summary of the observations before an instant; {@code count} 0 means no history. */
    record Summary(int count, double p5, double p25, double median, double p75, double p95, double lateShare,
            double medianQuantity) {

        static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN);

        /** Spread as a normal-equivalent standard deviation from the IQR, floored so tight lanes do not explode. */
        double robustSpread() {
            return Math.max((p75 - p25) / 1.349, Math.max(0.5, 0.05 * median));
        }
    }

    private final int window;
    private final Map<String, Deque<Observation>> byLane = new HashMap<>();
    private final Map<String, Deque<Observation>> bySupplier = new HashMap<>();

    LeadTimeHistory(int window) {
        this.window = window;
    }

    void record(String lane, String supplier, Observation observation) {
        append(byLane.computeIfAbsent(lane, key -> new ArrayDeque<>()), observation);
        append(bySupplier.computeIfAbsent(supplier, key -> new ArrayDeque<>()), observation);
    }

    Summary lane(String lane, Instant before) {
        return summarise(byLane.get(lane), before);
    }

    Summary supplier(String supplier, Instant before) {
        return summarise(bySupplier.get(supplier), before);
    }

    private void append(Deque<Observation> recent, Observation observation) {
        recent.addLast(observation);
        // Keep a little slack beyond the window: entries at or after the query instant are skipped.
        if (recent.size() > window + window / 4) {
            recent.removeFirst();
        }
    }

    private Summary summarise(Deque<Observation> recent, Instant before) {
        if (recent == null) {
            return Summary.EMPTY;
        }
        double[] leadTimes = new double[recent.size()];
        double[] quantities = new double[recent.size()];
        int count = 0;
        int late = 0;
        var newestFirst = recent.descendingIterator();
        while (newestFirst.hasNext() && count < window) {
            Observation o = newestFirst.next();
            if (o.receivedAt().isBefore(before)) {
                leadTimes[count] = o.leadTimeDays();
                quantities[count] = o.orderedQuantity();
                if (o.delayDays() > 0) {
                    late++;
                }
                count++;
            }
        }
        if (count == 0) {
            return Summary.EMPTY;
        }
        double[] sorted = Arrays.copyOf(leadTimes, count);
        Arrays.sort(sorted);
        double[] sortedQuantities = Arrays.copyOf(quantities, count);
        Arrays.sort(sortedQuantities);
        return new Summary(count, quantile(sorted, 0.05), quantile(sorted, 0.25), quantile(sorted, 0.5),
                quantile(sorted, 0.75), quantile(sorted, 0.95), (double) late / count,
                quantile(sortedQuantities, 0.5));
    }

    /** Linear-interpolation quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

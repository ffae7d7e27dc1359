package io.refinery.ops.quality;

import io.refinery.warehouse.quality.QualityProbes;
import io.refinery.warehouse.quality.QualityProbes.Target;
import io.refinery.warehouse.quality.QualityProbes.Window;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs one check: the warehouse measures (QualityProbes), this class decides pass or fail against
 * the spec's thresholds and words the observation. Days are UTC days of the clock.
 */
final class CheckRunner {

    /** Below this many rows in either window, drift is not judged: the PSI of tiny samples is noise. */
    static final long MIN_DRIFT_ROWS = 50;
    /** Proportions are floored at this so an empty bucket does not make the PSI infinite. */
    private static final double PSI_FLOOR = 1e-4;

    /** What a check found: passed or not, the observation and the expectation in words. */
    record Evaluation(boolean passed, String observed, Double observedValue, String expected, String message) {
    }

    private final QualityProbes probes;
    private final Clock clock;

    CheckRunner(QualityProbes probes, Clock clock) {
        this.probes = probes;
        this.clock = clock;
    }

    Evaluation evaluate(TableSpec table, CheckSpec check) {
        Target target = new Target(table.table(), table.deduplicated());
        return switch (check.kind()) {
            case NOT_NULL -> notNull(target, check);
            case UNIQUE -> unique(target, check);
            case ACCEPTED_VALUES -> accepted(target, check);
            case RANGE -> range(target, check);
            case ROW_COUNT -> rowCount(target, check);
            case ROW_COUNT_CHANGE -> rowCountChange(target, table.eventTime(), check);
            case FRESHNESS -> freshness(target, check.columns().isEmpty() ? table.eventTime() : check.columns().getFirst(), check);
            case DRIFT -> drift(target, table.eventTime(), check);
        };
    }

    private Evaluation notNull(Target target, CheckSpec check) {
        QualityProbes.NullCounts counts = probes.nullCounts(target, check.columns());
        long nulls = counts.nullsByColumn().values().stream().mapToLong(Long::longValue).sum();
        String observed = counts.nullsByColumn().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ")) + " null or empty of " + counts.rows() + " rows";
        return new Evaluation(nulls == 0, observed, (double) nulls, "0 null or empty", "");
    }

    private Evaluation unique(Target target, CheckSpec check) {
        QualityProbes.Duplicates d = probes.duplicateKeys(target, check.columns());
        String observed = d.keys() + " duplicated keys (" + d.excessRows() + " extra rows)";
        return new Evaluation(d.keys() == 0, observed, (double) d.keys(), "0 duplicated keys on (" + check.column() + ")",
                d.example() == null ? "" : "e.g. " + d.example());
    }

    private Evaluation accepted(Target target, CheckSpec check) {
        QualityProbes.Outside o = probes.outsideAccepted(target, check.columns().getFirst(), check.accepted());
        return new Evaluation(o.outside() == 0, o.outside() + " of " + o.rows() + " rows outside the accepted values",
                (double) o.outside(), "only " + check.accepted(), o.example() == null ? "" : "e.g. '" + o.example() + "'");
    }

    private Evaluation range(Target target, CheckSpec check) {
        QualityProbes.RangeObservation r = probes.outsideRange(target, check.columns().getFirst(), check.min(), check.max());
        String expected = check.min() != null && check.max() != null ? "between " + num(check.min()) + " and " + num(check.max())
                : check.min() != null ? ">= " + num(check.min()) : "<= " + num(check.max());
        String observed = r.outside() + " of " + r.rows() + " rows out of range"
                + (r.min() == null ? "" : " (min " + num(r.min()) + ", max " + num(r.max()) + ")");
        return new Evaluation(r.outside() == 0, observed, (double) r.outside(), "all values " + expected, "");
    }

    private Evaluation rowCount(Target target, CheckSpec check) {
        long rows = probes.rowCount(target, null);
        return new Evaluation(rows >= check.minRows(), rows + " rows", (double) rows, ">= " + check.minRows() + " rows", "");
    }

    /** Rows of yesterday (UTC) against the day before: a drop of more than max_drop fails. */
    private Evaluation rowCountChange(Target target, String eventTime, CheckSpec check) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate yesterday = today.minusDays(1);
        long last = probes.rowCount(target, new Window(eventTime, start(yesterday), start(today)));
        long before = probes.rowCount(target, new Window(eventTime, start(yesterday.minusDays(1)), start(yesterday)));
        long floor = (long) Math.ceil(before * (1 - check.maxDrop()));
        String expected = ">= " + floor + " rows (at most " + pct(check.maxDrop()) + " below the " + before + " rows of "
                + yesterday.minusDays(1) + ")";
        if (before == 0) {
            return new Evaluation(true, last + " rows on " + yesterday, (double) last, expected,
                    "no rows on " + yesterday.minusDays(1) + ": nothing to compare with");
        }
        double drop = 1 - (double) last / before;
        return new Evaluation(drop <= check.maxDrop() + 1e-12, last + " rows on " + yesterday + " (" + signedPct(-drop)
                + " vs " + before + ")", -drop, expected, "");
    }

    private Evaluation freshness(Target target, String column, CheckSpec check) {
        Instant now = clock.instant();
        Optional<Instant> newest = probes.maxTime(target, column);
        String expected = "newest " + column + " at most " + human(check.maxAge()) + " old";
        if (newest.isEmpty()) {
            return new Evaluation(false, "no rows", null, expected, "the table is empty");
        }
        Duration age = Duration.between(newest.get(), now);
        return new Evaluation(age.compareTo(check.maxAge()) <= 0, "newest " + newest.get() + " (" + human(age) + " old)",
                (double) age.toSeconds(), expected, "");
    }

    /**
     * Population stability index of the column in the last current_days days against the
     * reference_days before them, over buckets cut at the reference's quantiles.
     */
    private Evaluation drift(Target target, String eventTime, CheckSpec check) {
        Instant now = clock.instant();
        Instant currentFrom = now.minus(Duration.ofDays(check.currentDays()));
        Window current = new Window(eventTime, currentFrom, now);
        Window reference = new Window(eventTime, currentFrom.minus(Duration.ofDays(check.referenceDays())), currentFrom);
        QualityProbes.Histogram h = probes.histogram(target, check.columns().getFirst(), reference, current, check.buckets());
        long refRows = sum(h.reference());
        long curRows = sum(h.current());
        String expected = "PSI <= " + num(check.maxPsi()) + " (last " + check.currentDays() + " days vs the "
                + check.referenceDays() + " before)";
        if (refRows < MIN_DRIFT_ROWS || curRows < MIN_DRIFT_ROWS) {
            return new Evaluation(true, "too few rows to compare (" + curRows + " current, " + refRows + " reference)",
                    null, expected, "drift is judged from " + MIN_DRIFT_ROWS + " rows in each window");
        }
        double psi = psi(h.reference(), h.current());
        return new Evaluation(psi <= check.maxPsi(), String.format(Locale.ROOT, "PSI %.3f (%d current rows, %d reference rows)",
                psi, curRows, refRows), psi, expected, "");
    }

    static double psi(long[] reference, long[] current) {
        long refRows = sum(reference);
        long curRows = sum(current);
        double psi = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = Math.max(PSI_FLOOR, (double) reference[i] / refRows);
            double c = Math.max(PSI_FLOOR, (double) current[i] / curRows);
            psi += (c - r) * Math.log(c / r);
        }
        return psi;
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long v : values) {
            total += v;
        }
        return total;
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static String num(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.4g", value);
    }

    private static String pct(double fraction) {
        return num(Math.round(fraction * 1000) / 10.0) + " %";
    }

    private static String signedPct(double fraction) {
        return (fraction >= 0 ? "+" : "") + pct(fraction);
    }

    static String human(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 120) {
            return minutes + " min";
        }
        long hours = d.toHours();
        return hours < 72 ? hours + " h" : d.toDays() + " days";
    }
}

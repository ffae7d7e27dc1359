package io.refinery.forecasting.run;

import io.refinery.forecasting.Grain;
import io.refinery.warehouse.forecast.ForecastRows.DemandCell;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Served demand cells turned into dense series: one value per period from a series' first demand
 * to the newest period of all series, zeros where nothing was sold.
 */
final class SeriesTable {

    /**
     * @param prices average selling price per period (revenue / quantity), NaN where nothing sold: the
     *               input of the lagged price features of {@link io.refinery.forecasting.model.DemandFeatures}
     */
    record Series(String sku, String location, LocalDate firstPeriod, double[] values, double[] prices) {
    }

    private final Grain grain;
    private final Map<String, List<DemandCell>> cellsBySeries = new LinkedHashMap<>();
    private LocalDate lastPeriod;

    SeriesTable(Grain grain) {
        this.grain = grain;
    }

    void add(DemandCell cell) {
        cellsBySeries.computeIfAbsent(cell.sku() + "\u0000" + cell.location(), k -> new ArrayList<>()).add(cell);
        if (lastPeriod == null || cell.period().isAfter(lastPeriod)) {
            lastPeriod = cell.period();
        }
    }

    List<Series> series() {
        List<Series> series = new ArrayList<>(cellsBySeries.size());
        for (List<DemandCell> cells : cellsBySeries.values()) {
            LocalDate first = cells.getFirst().period();
            double[] values = new double[index(first, lastPeriod) + 1];
            double[] revenue = new double[values.length];
            for (DemandCell cell : cells) {
                values[index(first, cell.period())] += cell.quantity();
                revenue[index(first, cell.period())] += cell.revenue();
            }
            double[] prices = new double[values.length];
            for (int t = 0; t < values.length; t++) {
                prices[t] = values[t] > 0 && revenue[t] > 0 ? revenue[t] / values[t] : Double.NaN;
            }
            series.add(new Series(cells.getFirst().sku(), cells.getFirst().location(), first, values, prices));
        }
        return series;
    }

    LocalDate lastPeriod() {
        return lastPeriod;
    }

    /**
     * Where {@code period} falls in the grain's seasonal cycle, counted from 0: day of the week for
     * days, week of the year for weeks (week 53 folds onto week 1), month of the year for months.
     */
    static int seasonPosition(Grain grain, LocalDate period) {
        return switch (grain) {
            case DAY -> period.getDayOfWeek().getValue() - 1;
            case WEEK -> (period.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR) - 1) % grain.seasonalPeriod();
            case MONTH -> period.getMonthValue() - 1;
        };
    }

    /** The first day of the period {@code steps} after {@code period}. */
    static LocalDate plus(Grain grain, LocalDate period, int steps) {
        return switch (grain) {
            case DAY -> period.plusDays(steps);
            case WEEK -> period.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusWeeks(steps);
            case MONTH -> period.withDayOfMonth(1).plusMonths(steps);
        };
    }

    private int index(LocalDate first, LocalDate period) {
        return (int) switch (grain) {
            case DAY -> ChronoUnit.DAYS.between(first, period);
            case WEEK -> ChronoUnit.WEEKS.between(first, period);
            case MONTH -> ChronoUnit.MONTHS.between(first, period);
        };
    }
}

package io.refinery.forecasting.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.refinery.forecasting.Grain;
import io.refinery.warehouse.forecast.ForecastRows.DemandCell;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class SeriesTableTest {

    @Test
    void averageSellingPriceIsRevenuePerUnitAndUnknownOnDaysWithoutSales() {
        SeriesTable table = new SeriesTable(Grain.DAY);
        LocalDate day = LocalDate.of(2026, 3, 1);
        table.add(new DemandCell("A", "L", day, 4, 40));
        table.add(new DemandCell("A", "L", day.plusDays(2), 5, 40));
        table.add(new DemandCell("B", "L", day.plusDays(3), 1, 9));

        SeriesTable.Series a = table.series().getFirst();

        assertThat(a.values()).containsExactly(4, 0, 5, 0);
        assertThat(a.prices()[0]).isCloseTo(10, within(1e-12));
        assertThat(a.prices()[1]).isNaN();
        assertThat(a.prices()[2]).isCloseTo(8, within(1e-12));
        assertThat(a.prices()[3]).isNaN();
    }
}

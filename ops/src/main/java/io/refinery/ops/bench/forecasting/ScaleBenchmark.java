package io.refinery.ops.bench.forecasting;

import io.refinery.forecasting.ForecastRequest;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.forecasting.ForecastingConfiguration;
import io.refinery.forecasting.Grain;
import io.refinery.forecasting.RunStatus;
import io.refinery.forecasting.Scope;
import io.refinery.warehouse.WarehouseConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A forecast run at scale, end to end on the embedded warehouse: {@code --series} demo-like daily
 * series ({@code --days} of history, 2 000 SKUs x 5 locations for 10 k) are generated straight into
 * the served {@code demand_daily} table, then one run reads them, selects and fits a model per series
 * on every core, and writes forecasts with P10/P50/P90 and per-series accuracy. Prints series/s and
 * minutes, with the machine's load before and after (the machine may be shared).
 *
 * <p>Series are regular (level x weekday pattern x yearly season x noise, a price with occasional
 * discounts) except every fifth SKU, which sells on about one day in ten (intermittent).
 * Usage: {@code ScaleBenchmark --series 10000 [--days 730] [--horizon 28] [--origins 3] [--grain day]}.
 */
public final class ScaleBenchmark {

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--series", "10000", "--days", "730", "--horizon", "28",
                "--origins", "3", "--grain", "day"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int series = Integer.parseInt(options.get("--series"));
        int days = Integer.parseInt(options.get("--days"));
        int horizon = Integer.parseInt(options.get("--horizon"));
        Grain grain = Grain.valueOf(options.get("--grain").toUpperCase(Locale.ROOT));
        Path dir = Files.createTempDirectory("refinery-bench-forecast-scale");

        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("bench", Map.of(
                    "refinery.warehouse.data-dir", dir.toString(),
                    "refinery.warehouse.database", "bench",
                    "refinery.forecasting.schedule", "-",
                    "refinery.forecasting.data-trigger-interval", "1h",
                    "refinery.forecasting.backtest-origins", options.get("--origins"))));
            context.register(WarehouseConfiguration.class, ForecastingConfiguration.class);
            context.refresh();
            DataSource warehouse = context.getBean(DataSource.class);

            long generateStart = System.nanoTime();
            long rows = generate(warehouse, series, days);
            double generateSeconds = (System.nanoTime() - generateStart) / 1e9;

            ForecastRuns runs = context.getBean(ForecastRuns.class);
            String load = load();
            long start = System.nanoTime();
            ForecastRun run = runs.start(new ForecastRequest(grain, horizon, Scope.ALL), "bench", "api");
            while (true) {
                Thread.sleep(1000);
                run = runs.find(run.runId()).orElseThrow();
                if (run.status() == RunStatus.SUCCEEDED || run.status() == RunStatus.FAILED) {
                    break;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (run.status() != RunStatus.SUCCEEDED) {
                throw new IllegalStateException("run failed: " + run.message());
            }
            long forecastRows = count(warehouse, "SELECT count() FROM forecasts WHERE run_id = '" + run.runId() + "'");
            long read = run.lineage().seriesRead();
            System.out.printf(Locale.ROOT, "- Data: %,d series x %d days generated into demand_daily (%,d served rows) in %.1f s%n",
                    series, days, rows, generateSeconds);
            System.out.printf(Locale.ROOT, "- Run: grain %s, horizon %d, %s backtest origins, %d threads; %s%n",
                    grain, horizon, options.get("--origins"), Runtime.getRuntime().availableProcessors(),
                    run.lineage().trainerProvenance());
            System.out.printf(Locale.ROOT, "- Load average before the run: %s; after: %s%n%n", load, load());
            System.out.println("| Series read | Forecast rows written | Run time (min) | Series/s | Backtest sMAPE | Backtest MASE | P10–P90 coverage | Models chosen |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| %,d | %,d | %.2f | %.1f | %.2f | %.3f | %.1f%% | %s |%n", read, forecastRows,
                    seconds / 60, read / seconds, run.accuracy().smape(), run.accuracy().mase(),
                    100 * run.accuracy().coverageP10P90(), run.lineage().modelsChosen());
        }
        // the embedded engine's threads outlive the closed context: without this the benchmark printed and hung
        System.exit(0);
    }

    /** Generates the served daily demand in the engine itself: a client-side generator would time the insert path, not the run. */
    private static long generate(DataSource warehouse, int series, int days) throws Exception {
        LocalDate first = LocalDate.now().minusDays(days);
        String sql = """
                INSERT INTO demand_daily (sku, location, day, quantity, order_lines, revenue, version)
                SELECT sku, location, day, quantity, order_lines, quantity * price, 1 FROM (
                  SELECT intDiv(number, %2$d) AS s, number %% %2$d AS d,
                         concat('SKU-', leftPad(toString(intDiv(s, 5)), 5, '0')) AS sku,
                         concat('LOC-', toString(s %% 5)) AS location,
                         toDate('%3$s') + d AS day,
                         5 + (cityHash64(s) %% 200) / 10.0 AS level,
                         (cityHash64(s, d) %% 10000) / 10000.0 AS u,
                         if(d %% 45 < 7 AND intDiv(s, 5) %% 3 = 0, 0.8, 1.0) AS discount,
                         (2 + (cityHash64(intDiv(s, 5)) %% 100) / 10.0) * discount AS price,
                         if(intDiv(s, 5) %% 5 = 0,
                            if(u < 0.1, 1 + (cityHash64(s, d, 1) %% 8), 0),
                            round(level * (1 + 0.4 * (toDayOfWeek(day) >= 6)) * (1 + 0.2 * sin(2 * pi() * d / 365.25))
                                  * pow(discount, -2) * (0.6 + 0.8 * u))) AS quantity,
                         1 + intDiv(toUInt32(quantity), 3) AS order_lines
                  FROM numbers(%1$d)
                ) WHERE quantity > 0
                """.formatted((long) series * days, days, first);
        try (Connection connection = warehouse.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        return count(warehouse, "SELECT count() FROM demand_daily");
    }

    private static long count(DataSource warehouse, String sql) throws Exception {
        try (Connection connection = warehouse.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).substring(0, 14).strip();
        } catch (Exception e) {
            return "unknown";
        }
    }
}

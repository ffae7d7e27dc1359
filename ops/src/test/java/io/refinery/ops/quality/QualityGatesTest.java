package io.refinery.ops.quality;

import io.refinery.forecasting.ForecastRequest;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.forecasting.ForecastingConfiguration;
import io.refinery.forecasting.Grain;
import io.refinery.forecasting.RunStatus;
import io.refinery.forecasting.Scope;
import io.refinery.warehouse.WarehouseConfiguration;
import io.refinery.warehouse.cleaned.CleanedRows.SalesOrderLine;
import io.refinery.warehouse.cleaned.CleanedWriter;
import io.refinery.warehouse.cleaned.Lineage;
import io.refinery.warehouse.test.TestWarehouseInitializer;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The quality gates on the real embedded warehouse: every check kind passes on good data and
 * fails on data crafted to break it; results are stored with their spec version; a failing
 * blocking check halts a forecast run with the reason, and the run proceeds once the data is fixed.
 * The clock is fixed at {@link #NOW}; the data is laid out around it.
 */
@SpringJUnitConfig(classes = {WarehouseConfiguration.class, ForecastingConfiguration.class,
        QualityGatesTest.Quality.class}, initializers = TestWarehouseInitializer.class)
@TestPropertySource(properties = {"refinery.quality.interval=0s", "refinery.forecasting.schedule=-",
        "refinery.forecasting.data-trigger-interval=1h", "refinery.forecasting.backtest-origins=1"})
class QualityGatesTest {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final LocalDate TODAY = LocalDate.of(2025, 6, 1);
    static final int SERIES = 20;
    static final int DAYS = 41;

    /**
     * Deliberately not a @Configuration: OpsConfiguration scans io.refinery.ops.quality, and a scanned
     * test configuration would hand its fixed clock to every other ops test context.
     */
    @EnableConfigurationProperties(QualityProperties.class)
    @ComponentScan(basePackageClasses = QualityGates.class)
    static class Quality {
        @Bean
        Clock clock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    @Autowired
    QualityGates gates;
    @Autowired
    CleanedWriter cleaned;
    @Autowired
    ForecastRuns runs;
    @Autowired
    DSLContext dsl;
    @Autowired
    io.refinery.warehouse.quality.QualityProbes probes;
    @Autowired
    io.refinery.warehouse.quality.QualityResults stored;

    private final UUID batch = UUID.randomUUID();
    private int recordNo;

    @BeforeEach
    void emptyTables() {
        for (String table : List.of("sales_order_lines", "demand_daily", "quality_results")) {
            dsl.execute("TRUNCATE TABLE " + table);
        }
    }

    /** 20 series x 41 days up to this morning, quantities 5-14 drawn the same way every day. */
    private List<SalesOrderLine> goodLines(int lastDayOffset, Predicate<LocalDate> shifted) {
        Random random = new Random(42);
        List<SalesOrderLine> lines = new ArrayList<>();
        for (int d = DAYS - 1 + lastDayOffset; d >= lastDayOffset; d--) {
            LocalDate day = TODAY.minusDays(d);
            for (int s = 0; s < SERIES; s++) {
                long quantity = 5 + random.nextInt(10);
                lines.add(line("L-" + day + "-" + s, "SKU-" + (s % 10), "LOC-" + (s / 10),
                        shifted.test(day) ? quantity * 3 : quantity, "web", day.atTime(10, 0).toInstant(ZoneOffset.UTC)));
            }
        }
        return lines;
    }

    private List<SalesOrderLine> goodLines() {
        return goodLines(0, day -> false);
    }

    private SalesOrderLine line(String id, String sku, String location, long quantity, String channel, Instant at) {
        return new SalesOrderLine(id, sku, location, BigDecimal.valueOf(quantity), new BigDecimal("2.50"), at, channel,
                new Lineage(batch, recordNo++, 1));
    }

    private CheckResult result(List<CheckResult> results, String table, String check) {
        return results.stream().filter(r -> r.table().equals(table) && r.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + table + "." + check + " in " + results));
    }

    @Test
    void everyCheckOfTheSalesAndDemandTablesPassesOnGoodData() {
        cleaned.writeSalesOrderLines(goodLines());

        List<CheckResult> results = gates.runAll();

        List<CheckResult> ours = results.stream()
                .filter(r -> r.table().equals("sales_order_lines") || r.table().equals("demand_daily")).toList();
        assertThat(ours).hasSize(17);
        assertThat(ours).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(CheckStatus.PASS));
        assertThat(result(results, "demand_daily", "quantity_drift").observed()).startsWith("PSI ");
        assertThat(result(results, "demand_daily", "volume_vs_yesterday").observed()).contains("20 rows on 2025-05-31");
        // the other tables are empty here: has_rows and freshness say so, nothing crashes
        assertThat(results).noneMatch(r -> r.status() == CheckStatus.ERROR);
        assertThat(result(results, "lead_times", "fresh").status()).isEqualTo(CheckStatus.WARN);
        assertThat(gates.failingBlocking()).isEmpty();
    }

    @Test
    void nullsDuplicateKeysOutOfRangeAndUnknownValuesFailTheirBlockingChecks() {
        List<SalesOrderLine> lines = new ArrayList<>(goodLines());
        Instant at = TODAY.atTime(9, 0).toInstant(ZoneOffset.UTC);
        lines.add(line("L-null-sku", "", "LOC-0", 3, "web", at));
        lines.add(line("L-negative", "SKU-1", "LOC-0", -5, "web", at));
        lines.add(line("L-fax", "SKU-2", "LOC-0", 4, "fax", at));
        SalesOrderLine original = line("L-dup-a", "SKU-3", "LOC-0", 2, "web", at);
        lines.add(original);
        lines.add(new SalesOrderLine("L-dup-b", "SKU-3", "LOC-0", BigDecimal.TWO, null, at, "web", original.lineage()));
        cleaned.writeSalesOrderLines(lines);

        List<CheckResult> results = gates.run("sales_order_lines");

        CheckResult nulls = result(results, "sales_order_lines", "keys_not_null");
        assertThat(nulls.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(nulls.observed()).contains("sku: 1").contains("line_id: 0");
        CheckResult duplicates = result(results, "sales_order_lines", "one_row_per_raw_record");
        assertThat(duplicates.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(duplicates.observedValue()).isEqualTo(1.0);
        CheckResult range = result(results, "sales_order_lines", "quantity_in_range");
        assertThat(range.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(range.observed()).contains("1 of ").contains("min -5");
        CheckResult channel = result(results, "sales_order_lines", "channel_known");
        assertThat(channel.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(channel.message()).contains("fax");
        assertThat(result(results, "sales_order_lines", "has_rows").status()).isEqualTo(CheckStatus.PASS);
        assertThat(results).allSatisfy(r -> assertThat(r.specVersion()).isEqualTo(1));
        assertThat(gates.failingBlocking()).extracting(CheckResult::check)
                .containsExactlyInAnyOrder("keys_not_null", "one_row_per_raw_record", "quantity_in_range", "channel_known");
    }

    @Test
    void aThirtyPercentDropVsYesterdayFailsTheBlockingVolumeCheck() {
        List<SalesOrderLine> lines = goodLines().stream()
                .filter(l -> !(l.orderedAt().atZone(ZoneOffset.UTC).toLocalDate().equals(TODAY.minusDays(1))
                        && l.lineId().matches(".*-(1[4-9])$")))
                .toList();
        cleaned.writeSalesOrderLines(lines);

        List<CheckResult> results = gates.run("demand_daily");

        CheckResult volume = result(results, "demand_daily", "volume_vs_yesterday");
        assertThat(volume.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(volume.observed()).isEqualTo("14 rows on 2025-05-31 (-30 % vs 20)");
        assertThat(volume.expected()).startsWith(">= 16 rows");
        assertThat(volume.observedValue()).isCloseTo(-0.3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void staleDataFailsFreshnessAndAnEmptyTableFailsTheRowCount() {
        cleaned.writeSalesOrderLines(goodLines(5, day -> false));

        List<CheckResult> results = gates.runAll();

        CheckResult demand = result(results, "demand_daily", "fresh");
        assertThat(demand.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(demand.observed()).contains("2025-05-27").contains("5 days old");
        assertThat(result(results, "sales_order_lines", "fresh").status()).as("a warning check").isEqualTo(CheckStatus.WARN);
        assertThat(result(results, "receipts", "fresh").observed()).isEqualTo("no rows");

        dsl.execute("TRUNCATE TABLE sales_order_lines");
        assertThat(result(gates.run("sales_order_lines"), "sales_order_lines", "has_rows").status())
                .isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void aShiftedDistributionInTheLastWeekIsDrift() {
        cleaned.writeSalesOrderLines(goodLines(0, day -> day.isAfter(TODAY.minusDays(7))));

        List<CheckResult> results = gates.run("demand_daily");

        CheckResult drift = result(results, "demand_daily", "quantity_drift");
        assertThat(drift.status()).as("a warning check").isEqualTo(CheckStatus.WARN);
        assertThat(drift.observedValue()).isGreaterThan(1.0);
        assertThat(result(results, "demand_daily", "quantity_in_range").status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void resultsAreStoredWithTheirVersionAndRunsTakeTurnsWhenCalledConcurrently() throws Exception {
        cleaned.writeSalesOrderLines(goodLines());

        CompletableFuture<List<CheckResult>> first = CompletableFuture.supplyAsync(gates::runAll);
        CompletableFuture<List<CheckResult>> second = CompletableFuture.supplyAsync(gates::runAll);
        List<CheckResult> a = first.get();
        List<CheckResult> b = second.get();

        int checks = gates.specs().stream().mapToInt(s -> s.checks().size()).sum();
        assertThat(a).hasSize(checks);
        assertThat(b).hasSize(checks);
        assertThat(a.getFirst().runId()).isNotEqualTo(b.getFirst().runId());
        QualityGates.HistoryPage history = gates.history("demand_daily", "fresh", 0, 10);
        assertThat(history.total()).isEqualTo(2);
        assertThat(history.items()).allSatisfy(r -> {
            assertThat(r.specVersion()).isEqualTo(1);
            assertThat(r.status()).isEqualTo(CheckStatus.PASS);
            assertThat(r.checkedAt()).isEqualTo(NOW);
        });
        assertThat(gates.latest()).hasSize(checks);
        assertThat(gates.summary().counts().get(CheckStatus.PASS) + gates.summary().counts().get(CheckStatus.WARN))
                .isEqualTo(checks);
        assertThatThrownBy(() -> gates.run("no_such_table")).isInstanceOf(QualityGates.UnknownTableException.class);
    }

    @Test
    void aFailingBlockingCheckHaltsTheForecastRunWithTheReasonAndTheRunProceedsOnceTheDataIsFixed() {
        List<SalesOrderLine> all = goodLines();
        LocalDate yesterday = TODAY.minusDays(1);
        Predicate<SalesOrderLine> missing = l -> l.orderedAt().atZone(ZoneOffset.UTC).toLocalDate().equals(yesterday)
                && l.lineId().matches(".*-(1[4-9])$");
        // no quality run in between: the gate measures the blocking checks itself before the run begins
        cleaned.writeSalesOrderLines(all.stream().filter(missing.negate()).toList());
        ForecastRequest request = new ForecastRequest(Grain.DAY, 7, Scope.ALL);

        ForecastRun blocked = finished(runs.start(request, "test", "api").runId());

        assertThat(blocked.status()).isEqualTo(RunStatus.BLOCKED);
        assertThat(blocked.message()).startsWith("quality check volume_vs_yesterday on table demand_daily failed:"
                + " observed 14 rows on 2025-05-31 (-30 % vs 20), expected >= 16 rows");

        // the late lines arrive: the gate measures the failing check again and lets the run through
        cleaned.writeSalesOrderLines(all.stream().filter(missing).toList());
        ForecastRun proceeded = finished(runs.start(request, "test", "api").runId());

        assertThat(proceeded.status()).as(proceeded.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(proceeded.lineage().seriesRead()).isEqualTo(SERIES);
        assertThat(gates.failingBlocking()).isEmpty();
    }

    @Test
    void aCheckThatCannotBeMeasuredIsAnErrorThatBlocksWhileTheOtherChecksStillRun() {
        cleaned.writeSalesOrderLines(goodLines());
        var clock = new org.springframework.beans.factory.support.StaticListableBeanFactory(
                java.util.Map.of("clock", Clock.fixed(NOW, ZoneOffset.UTC))).getBeanProvider(Clock.class);
        QualityGates broken = new QualityGates(new QualityProperties(null, null, "classpath*:quality-broken/*.yaml", null),
                probes, stored, clock);

        List<CheckResult> results = broken.runAll();

        CheckResult error = result(results, "sales_order_lines", "renamed_column_not_null");
        assertThat(error.status()).isEqualTo(CheckStatus.ERROR);
        assertThat(error.specVersion()).isEqualTo(3);
        assertThat(error.message()).contains("customer_id");
        assertThat(result(results, "sales_order_lines", "has_rows").status()).isEqualTo(CheckStatus.PASS);
        assertThat(broken.blockedBecause("forecast")).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("quality check renamed_column_not_null on table sales_order_lines could not run"));
    }

    private ForecastRun finished(String runId) {
        await().atMost(Duration.ofMinutes(3)).until(() -> runs.find(runId).map(r -> r.status().finished()).orElse(false));
        return runs.find(runId).orElseThrow();
    }
}

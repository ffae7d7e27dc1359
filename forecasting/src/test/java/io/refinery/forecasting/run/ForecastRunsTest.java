package io.refinery.forecasting.run;

import io.refinery.forecasting.ForecastPoint;
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
import io.refinery.warehouse.lease.Lease;
import io.refinery.warehouse.lease.Leases;
import io.refinery.warehouse.test.TestWarehouseInitializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A forecast run end to end: served demand in the real warehouse in, stored forecasts out. */
@SpringJUnitConfig(classes = {WarehouseConfiguration.class, ForecastingConfiguration.class},
        initializers = TestWarehouseInitializer.class)
@TestPropertySource(properties = {"refinery.forecasting.schedule=-", "refinery.forecasting.data-trigger-interval=1h",
        "refinery.forecasting.data-trigger-quiet-period=0s", "refinery.forecasting.backtest-origins=2"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForecastRunsTest {

    static final LocalDate START = LocalDate.of(2023, 1, 2); // a Monday
    static final int DAYS = 546; // 78 weeks

    @Autowired
    ForecastRuns runs;
    @Autowired
    CleanedWriter cleaned;
    @Autowired
    RunTriggers triggers;
    @Autowired
    Leases leases;

    @BeforeAll
    void servedDemandWithAWeeklyPattern() {
        List<SalesOrderLine> lines = new ArrayList<>();
        UUID batch = UUID.randomUUID();
        int n = 0;
        for (String sku : List.of("SKU-A", "SKU-B", "SKU-C")) {
            for (String location : List.of("LOC-1", "LOC-2")) {
                for (int d = 0; d < DAYS; d++) {
                    LocalDate day = START.plusDays(d);
                    int weekday = day.getDayOfWeek().getValue();
                    long quantity = 10 + (weekday >= 6 ? 20 : 0) + (sku.equals("SKU-C") ? d / 30 : 0) + (d * 7 % 5);
                    lines.add(new SalesOrderLine(sku + location + d, sku, location, BigDecimal.valueOf(quantity),
                            new BigDecimal("2.50"), day.atTime(12, 0).toInstant(ZoneOffset.UTC), "web",
                            new Lineage(batch, n++, 1)));
                }
            }
        }
        cleaned.writeSalesOrderLines(lines);
    }

    @Test
    void aRunForecastsEverySeriesWithOrderedIntervalsAndACoherentHierarchy() {
        ForecastRun run = runToCompletion(new ForecastRequest(Grain.WEEK, 8, Scope.ALL));

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.lineage().seriesRead()).isEqualTo(6);
        assertThat(run.lineage().dataVersion()).isPositive();
        // the global Tribuo model learned across the run's series competed in every series' selection
        assertThat(run.lineage().trainerProvenance()).contains("global=Global(LinearSGDTrainer");
        assertThat(run.accuracy().series()).isEqualTo(6);
        assertThat(run.accuracy().smape()).isBetween(0.0, 25.0);
        List<ForecastPoint> points = runs.forecasts(run.runId(), null, null);
        List<ForecastPoint> cells = points.stream().filter(p -> !p.sku().equals("*") && !p.location().equals("*")).toList();
        assertThat(cells).hasSize(6 * 8);
        assertThat(cells).allSatisfy(p -> {
            assertThat(p.p10()).isLessThanOrEqualTo(p.p50());
            assertThat(p.p50()).isLessThanOrEqualTo(p.p90());
            assertThat(p.period().getDayOfWeek().getValue()).isEqualTo(1);
        });
        // a week of 5 x ~12 + 2 x ~32 ≈ 125 per series (SKU-C grows): far from zero and from silly
        assertThat(cells.stream().filter(p -> p.sku().equals("SKU-A"))).allSatisfy(p ->
                assertThat(p.p50()).isBetween(100.0, 150.0));
        Map<LocalDate, Double> bottomUp = cells.stream().collect(Collectors.groupingBy(ForecastPoint::period,
                Collectors.summingDouble(ForecastPoint::p50)));
        points.stream().filter(p -> p.sku().equals("*") && p.location().equals("*")).forEach(total ->
                assertThat(total.p50()).isCloseTo(bottomUp.get(total.period()), org.assertj.core.data.Offset.offset(1e-6)));
        assertThat(runs.find(ForecastRuns.LATEST)).isPresent();
        assertThat(runs.seriesAccuracy(run.runId())).hasSize(6);
    }

    @Test
    void theSameInputsGiveTheSameForecasts() {
        ForecastRequest request = new ForecastRequest(Grain.MONTH, 3, new Scope(List.of("SKU-C"), List.of(), List.of()));
        ForecastRun first = runToCompletion(request);
        ForecastRun second = runToCompletion(request);

        assertThat(strip(runs.forecasts(second.runId(), null, null)))
                .isEqualTo(strip(runs.forecasts(first.runId(), null, null)))
                .isNotEmpty();
    }

    @Test
    void aScopeRunsAtMostOnceAtATime() {
        ForecastRequest request = new ForecastRequest(Grain.DAY, 14, new Scope(List.of(), List.of("LOC-1"), List.of()));
        ForecastRun first = runs.start(request, "test", "api");

        assertThatThrownBy(() -> runs.start(request, "test", "api"))
                .isInstanceOf(ForecastRuns.RunAlreadyActiveException.class)
                .hasMessageContaining(first.runId());
        await().atMost(Duration.ofMinutes(3)).until(() -> runs.find(first.runId()).orElseThrow().status().finished());
    }

    @Test
    void aScopeAnotherReplicaIsRunningIsRefusedUntilItsLeaseIsReleased() {
        Scope scope = new Scope(List.of("SKU-B"), List.of("LOC-2"), List.of());
        ForecastRequest request = new ForecastRequest(Grain.MONTH, 3, scope);
        // another replica sharing the warehouse holds the scope's lease, as a run there does from start to end
        try (Lease elsewhere = leases.tryAcquire(ForecastRunService.leaseKey(scope)).orElseThrow()) {
            assertThatThrownBy(() -> runs.start(request, "test", "api"))
                    .isInstanceOf(ForecastRuns.RunAlreadyActiveException.class);
            assertThat(elsewhere.isHeld()).isTrue();
        }
        ForecastRun run = runToCompletion(request);
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        // the run gives its lease back when it ends
        await().atMost(Duration.ofSeconds(10)).until(() -> leases.state(ForecastRunService.leaseKey(scope)).released());
    }

    @Test
    void theDataTriggerFiresOncePerChangeOfServedDemand() {
        await().atMost(Duration.ofMinutes(3)).until(() -> !((ForecastRunService) runs).active(Scope.ALL));
        triggers.checkForChangedData(); // absorbs whatever changed before this test
        await().atMost(Duration.ofMinutes(3)).until(() -> !((ForecastRunService) runs).active(Scope.ALL));

        boolean withoutChange = triggers.checkForChangedData();
        cleaned.writeSalesOrderLines(List.of(new SalesOrderLine("late-line", "SKU-A", "LOC-1", BigDecimal.ONE, null,
                Instant.parse("2024-06-01T10:00:00Z"), "web", new Lineage(UUID.randomUUID(), 0, 2))));
        boolean afterChange = triggers.checkForChangedData();
        await().atMost(Duration.ofMinutes(3)).until(() -> !((ForecastRunService) runs).active(Scope.ALL));
        boolean again = triggers.checkForChangedData();

        assertThat(withoutChange).isFalse();
        assertThat(afterChange).isTrue();
        assertThat(again).isFalse();
        assertThat(runs.list(50)).anyMatch(r -> r.trigger().equals("data-changed"));
    }

    private ForecastRun runToCompletion(ForecastRequest request) {
        await().atMost(Duration.ofMinutes(3)).until(() -> !((ForecastRunService) runs).active(request.scope()));
        ForecastRun started = runs.start(request, "test", "api");
        await().atMost(Duration.ofMinutes(3)).until(() -> runs.find(started.runId()).orElseThrow().status().finished());
        return runs.find(started.runId()).orElseThrow();
    }

    private static List<String> strip(List<ForecastPoint> points) {
        return points.stream().map(p -> p.sku() + p.location() + p.period() + p.p10() + p.p50() + p.p90() + p.model())
                .toList();
    }
}

package io.refinery.warehouse.api;

import io.refinery.warehouse.test.WarehouseTest;
import org.jooq.DSLContext;
import org.jooq.impl.CallbackExecuteListener;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.refinery.warehouse.api.RowFilter.Operator.EQ;
import static io.refinery.warehouse.api.RowFilter.Operator.GE;
import static io.refinery.warehouse.api.RowFilter.Operator.GT;
import static io.refinery.warehouse.api.RowFilter.Operator.LT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.inline;

/**
 * Forecasts, accuracy and anomalies are filtered, ordered and paged in ClickHouse (the SQL carries
 * the filter as bound values), and planner overrides carry over to later runs until cleared.
 */
@WarehouseTest
class ForecastReadsTest {

    private static final int SKUS = 60;
    private static final int LOCATIONS = 5;
    private static final int PERIODS = 12;
    private static final LocalDate FIRST = LocalDate.of(2026, 1, 1);

    @Autowired
    DSLContext dsl;

    private final List<String> statements = new CopyOnWriteArrayList<>();
    private ForecastReads reads;
    private ForecastOverrides overrides;
    private String run1;
    private String run2;

    @BeforeEach
    void seedTwoRuns() {
        // A DSLContext that records the SQL it sends (with ? for bound values), over the same warehouse.
        DSLContext recording = dsl.configuration().derive(new DefaultExecuteListenerProvider(
                new CallbackExecuteListener().onExecuteStart(ctx -> statements.add(ctx.sql())))).dsl();
        reads = new ForecastReads(new ServedReads(recording));
        overrides = new ForecastOverrides(dsl);
        run1 = "r1-" + UUID.randomUUID().toString().substring(0, 8);
        run2 = "r2-" + UUID.randomUUID().toString().substring(0, 8);
        run(run1, "2026-01-01 00:00:00.000");
        run(run2, "2026-01-02 00:00:00.000");
        statements.clear();
    }

    private void run(String runId, String startedAt) {
        dsl.execute("INSERT INTO forecast_runs (run_id, status, progress, trigger, requested_by, grain, horizon, scope_key,"
                + " started_at, duration_ms, series, data_version, series_read, code_version, trainer_provenance, message,"
                + " version) VALUES ({0}, 'succeeded', 1, 'api', 'test', 'month', 12, '', toDateTime64({1}, 3, 'UTC'), 1,"
                + " 300, 1, 300, 'test', '', '', 1)", runId, startedAt);
        // sku s, location l, period p of number n = (s * LOCATIONS + l) * PERIODS + p; P50 = 2 (s + l + p)
        dsl.execute("INSERT INTO forecasts SELECT {0}, concat('SKU-', leftPad(toString(s), 3, '0')),"
                + " concat('LOC-', toString(l)), addMonths(toDate({1}), p), s + l + p, (s + l + p) * 2, (s + l + p) * 3,"
                + " if(s % 2 = 0, 'ets', 'theta')"
                + " FROM (SELECT intDiv(number, {3} * {4}) AS s, intDiv(number, {4}) % {3} AS l, number % {4} AS p"
                + " FROM numbers({2}))", runId, FIRST.toString(), inline(SKUS * LOCATIONS * PERIODS), inline(LOCATIONS),
                inline(PERIODS));
        dsl.execute("INSERT INTO forecast_series_accuracy SELECT {0}, concat('SKU-', leftPad(toString(number), 3, '0')),"
                + " 'LOC-0', 'ets', number / 10, number, number / 100, 0, 0.8 FROM numbers({1})", runId, inline(SKUS));
    }

    private static RowFilter all(RowFilter... parts) {
        return new RowFilter.All(List.of(parts));
    }

    private static RowFilter.Compare cmp(String column, RowFilter.Operator op, Object value) {
        return new RowFilter.Compare(column, op, value);
    }

    @Test
    void a_filter_on_forecasts_is_a_bound_where_clause_and_returns_exactly_the_matching_rows() {
        RowFilter filter = all(cmp("sku", EQ, "SKU-007"), cmp("period", GE, LocalDate.of(2026, 7, 1)),
                cmp("location", LT, "LOC-3"));

        List<Object[]> rows = reads.page(ForecastReads.Source.FORECASTS, run2, List.of("sku", "location", "period", "p50"),
                filter, List.of(new SortKey("location", false), new SortKey("period", true)), 0, 1000);

        // 3 locations (LOC-0..2) x 6 periods (Jul..Dec) of one SKU, out of 3,600 rows of the run
        assertThat(rows).hasSize(18);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r[0]).isEqualTo("SKU-007");
            assertThat((String) r[1]).isIn("LOC-0", "LOC-1", "LOC-2");
            assertThat((LocalDate) r[2]).isAfterOrEqualTo(LocalDate.of(2026, 7, 1));
        });
        assertThat(rows.get(0)[1]).isEqualTo("LOC-0");
        assertThat(rows.get(0)[2]).isEqualTo(LocalDate.of(2026, 12, 1));
        assertThat((double) rows.get(0)[3]).isEqualTo((7 + 0 + 11) * 2.0);
        assertThat(reads.count(ForecastReads.Source.FORECASTS, run2, filter)).isEqualTo(18);

        // the filter, order and page went to ClickHouse, with the values bound, not written into the SQL
        assertThat(statements).hasSize(2).allSatisfy(sql -> {
            assertThat(sql.toLowerCase()).contains("where").contains("\"sku\" = ?").contains("\"location\" < ?");
            assertThat(sql).doesNotContain("SKU-007").doesNotContain("LOC-3");
        });
        assertThat(statements.get(0).toLowerCase()).contains("order by \"location\" asc, \"period\" desc")
                .contains("limit ?");
    }

    @Test
    void pages_of_a_large_run_are_disjoint_and_complete_in_key_order() {
        List<SortKey> key = List.of(new SortKey("sku", false), new SortKey("location", false), new SortKey("period", false));
        List<String> seen = new ArrayList<>();
        for (int offset = 0; ; offset += 1000) {
            List<Object[]> page = reads.page(ForecastReads.Source.FORECASTS, run1, List.of("sku", "location", "period"),
                    RowFilter.NONE, key, offset, 1000);
            page.forEach(r -> seen.add(r[0] + "/" + r[1] + "/" + r[2]));
            if (page.size() < 1000) {
                break;
            }
        }
        assertThat(seen).hasSize(SKUS * LOCATIONS * PERIODS).doesNotHaveDuplicates();
        assertThat(new ArrayList<>(seen)).isSortedAccordingTo(String::compareTo);
    }

    @Test
    void accuracy_and_anomalies_are_filtered_in_clickhouse_too() {
        List<Object[]> accuracy = reads.page(ForecastReads.Source.ACCURACY, run1, List.of("sku", "smape"),
                all(cmp("smape", GT, 49.5)), List.of(new SortKey("sku", false)), 0, 100);
        assertThat(accuracy).extracting(r -> r[0]).containsExactly("SKU-050", "SKU-051", "SKU-052", "SKU-053",
                "SKU-054", "SKU-055", "SKU-056", "SKU-057", "SKU-058", "SKU-059");

        String poLine = "PO-" + UUID.randomUUID();
        dsl.execute("INSERT INTO lead_time_anomalies (po_line_id, supplier, sku, location, ordered_at, promised_date,"
                + " received_at, lead_time_days, delay_days, score, expected_low_days, expected_high_days, model_version,"
                + " flagged_at, acknowledged, acknowledged_by, version) VALUES ({0}, 'SUP-1', 'SKU-001', 'LOC-0',"
                + " now64(3), today(), now64(3), 20, 9, 0.97, 3, 6, 'm1', now64(3), false, '', 1)", poLine);
        statements.clear();
        List<Object[]> anomalies = reads.page(ForecastReads.Source.LEAD_TIME_ANOMALIES, null,
                List.of("po_line_id", "delay_days", "acknowledged"),
                all(cmp("po_line_id", EQ, poLine), cmp("acknowledged", EQ, false)), List.of(new SortKey("po_line_id", false)),
                0, 10);
        assertThat(anomalies).hasSize(1);
        assertThat(anomalies.get(0)).containsExactly(poLine, 9.0, false);
        assertThat(statements.get(0)).contains("where").doesNotContain(poLine);
    }

    @Test
    void an_override_carries_over_to_later_runs_until_a_planner_clears_it() {
        LocalDate may = LocalDate.of(2026, 5, 1);
        LocalDate june = LocalDate.of(2026, 6, 1);
        overrides.save(new ForecastOverride(run1, "SKU-001", "LOC-1", may, 12, 99, "promo", "pia", Instant.now()));
        overrides.save(new ForecastOverride(run1, "SKU-001", "LOC-1", june, 14, 50, "shelf space", "pia", Instant.now()));

        // the later run shows both overrides as final values, made on run 1
        assertThat(overrides.forRun(run2)).extracting(ForecastOverride::period, ForecastOverride::value,
                ForecastOverride::runId).containsExactly(org.assertj.core.groups.Tuple.tuple(may, 99.0, run1),
                org.assertj.core.groups.Tuple.tuple(june, 50.0, run1));
        List<Object[]> cell = reads.page(ForecastReads.Source.FORECASTS, run2,
                List.of("period", "statistical", "final", "overridden"),
                all(cmp("sku", EQ, "SKU-001"), cmp("location", EQ, "LOC-1"), cmp("overridden", EQ, true)),
                List.of(new SortKey("period", false)), 0, 100);
        assertThat(cell).hasSize(2);
        assertThat(cell.get(0)).containsExactly(may, (1 + 1 + 4) * 2.0, 99.0, true);

        // a planner clears June on run 2: gone from run 2 (and later runs), still on run 1, audited
        assertThat(overrides.clear(run2, "SKU-001", "LOC-1", june, 2 * (1 + 1 + 5), "back to statistical", "max",
                Instant.now().plusMillis(5))).isPresent();
        assertThat(overrides.forRun(run2)).extracting(ForecastOverride::period).containsExactly(may);
        assertThat(overrides.forRun(run1)).extracting(ForecastOverride::period).containsExactly(may, june);
        assertThat(reads.count(ForecastReads.Source.FORECASTS, run2, all(cmp("overridden", EQ, true)))).isEqualTo(1);
        assertThat(overrides.audit(run2)).extracting(OverrideAudit::actor, OverrideAudit::cleared)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pia", false),
                        org.assertj.core.groups.Tuple.tuple("pia", false),
                        org.assertj.core.groups.Tuple.tuple("max", true));
        // decisions on the newer run never change the older run's export
        overrides.save(new ForecastOverride(run2, "SKU-002", "LOC-0", may, 10, 1, "typo fix", "max", Instant.now()));
        assertThat(overrides.forRun(run1)).extracting(ForecastOverride::sku).containsOnly("SKU-001");
        assertThat(overrides.audit(run1)).extracting(OverrideAudit::actor).containsExactly("pia", "pia");
    }
}

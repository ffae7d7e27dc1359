package io.refinery.ops.observability;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped rule file parses into rules the app can evaluate; anything beyond that subset is refused. */
class AlertRulesTest {

    @Test
    void theShippedRulesParseWithTheirThresholdsAndSeverities() throws IOException {
        List<AlertRules.Rule> rules;
        try (InputStream in = Files.newInputStream(Path.of("prometheus", "refinery-alerts.yml"))) {
            rules = AlertRules.parse(in);
        }
        assertThat(rules).hasSizeGreaterThanOrEqualTo(5);
        AlertRules.Rule quarantine = rules.stream().filter(r -> r.alert().equals("RefineryQuarantineRateHigh"))
                .findFirst().orElseThrow();
        assertThat(quarantine.metric()).isEqualTo("refinery_route_quarantine_ratio");
        assertThat(quarantine.threshold()).isEqualTo(0.05);
        assertThat(quarantine.severity()).isEqualTo("critical");
        assertThat(quarantine.holds(0.5)).isTrue();
        assertThat(quarantine.holds(0.05)).isFalse();
        AlertRules.Rule drop = rules.stream().filter(r -> r.alert().equals("RefineryRowCountDrop")).findFirst().orElseThrow();
        assertThat(drop.holds(-0.3)).isTrue();
        assertThat(drop.holds(Double.NaN)).as("no baseline, no alert").isFalse();
    }

    @Test
    void freshnessAllowsAWeekendForBusinessDayTablesButNotForDailyOnes() throws IOException {
        List<AlertRules.Rule> rules;
        try (InputStream in = Files.newInputStream(Path.of("prometheus", "refinery-alerts.yml"))) {
            rules = AlertRules.parse(in);
        }
        java.util.function.Function<String, AlertRules.Rule> freshness = table -> rules.stream()
                .filter(r -> r.metric().equals("refinery_table_freshness_seconds")
                        && table.equals(r.selectors().get("table")))
                .findFirst().orElseThrow(() -> new AssertionError("no freshness rule for " + table));
        double mondayMorning = 65 * 3600; // the last PO on Friday afternoon
        assertThat(freshness.apply("purchase_order_lines").holds(mondayMorning)).isFalse();
        assertThat(freshness.apply("receipts").holds(mondayMorning)).isFalse();
        assertThat(freshness.apply("purchase_order_lines").holds(5 * 24 * 3600)).isTrue();
        assertThat(freshness.apply("sales_order_lines").holds(mondayMorning)).isTrue();
        assertThat(freshness.apply("iot_readings").holds(mondayMorning)).isTrue();
        assertThat(freshness.apply("sales_order_lines").holds(24 * 3600)).isFalse();
    }

    @Test
    void selectorsAreParsedAndExpressionsTheAppCannotEvaluateAreRefused() throws IOException {
        var rules = AlertRules.parse(yaml("refinery_storage_bytes{layer=\"raw\"} >= 1e9"));
        assertThat(rules.getFirst().selectors()).containsEntry("layer", "raw");
        assertThat(rules.getFirst().threshold()).isEqualTo(1e9);

        assertThatThrownBy(() -> AlertRules.parse(yaml("rate(refinery_route_records_total[5m]) > 1")))
                .hasMessageContaining("app can evaluate");
        assertThatThrownBy(() -> AlertRules.parse(yaml("refinery_storage_bytes{layer=~\"r.*\"} > 1")))
                .hasMessageContaining("label=\"value\"");
    }

    private static InputStream yaml(String expr) {
        String text = "groups:\n  - name: t\n    rules:\n      - alert: T\n        expr: '" + expr + "'\n";
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}

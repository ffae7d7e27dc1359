package io.refinery.ops.quality;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped specs load; a spec with a typo is refused at start with a message that says where. */
class QualitySpecsTest {

    @Test
    void theShippedSpecsCoverTheCleanedAndServedTablesThatMatter() {
        List<TableSpec> specs = QualitySpecs.load("classpath*:quality/*.yaml");

        assertThat(specs).extracting(TableSpec::table).containsExactlyInAnyOrder("sales_order_lines", "demand_daily",
                "lead_times", "receipts", "iot_readings");
        assertThat(specs).flatExtracting(TableSpec::checks).extracting(CheckSpec::kind)
                .contains(CheckKind.values());
        assertThat(specs).filteredOn(s -> s.gates().contains("forecast")).extracting(TableSpec::table)
                .containsExactlyInAnyOrder("sales_order_lines", "demand_daily");
    }

    @Test
    void unknownKeysMissingThresholdsAndMisnamedFilesAreRefused() {
        String good = """
                table: demand_daily
                version: 2
                event_time: day
                checks:
                  - {name: fresh, kind: freshness, max_age: PT1H, severity: blocking}
                """;
        assertThat(QualitySpecs.parse(good, "demand_daily.v2.yaml").checks()).hasSize(1);

        assertThatThrownBy(() -> QualitySpecs.parse(good, "demand_daily.v1.yaml"))
                .hasMessageContaining("must be named demand_daily.v2.yaml");
        assertThatThrownBy(() -> QualitySpecs.parse(good.replace("max_age", "max_agee"), null))
                .hasMessageContaining("unknown check key 'max_agee'");
        assertThatThrownBy(() -> QualitySpecs.parse(good.replace("max_age: PT1H, ", ""), null))
                .hasMessageContaining("check 'fresh': needs 'max_age'");
        assertThatThrownBy(() -> QualitySpecs.parse(good.replace("blocking", "fatal"), null))
                .hasMessageContaining("severity must be blocking or warning");
        assertThatThrownBy(() -> QualitySpecs.parse(good.replace("table: demand_daily", "table: \"x; DROP\""), null))
                .hasMessageContaining("lower-case identifier");
    }

    @Test
    void psiIsZeroForTheSameDistributionAndGrowsWithTheShift() {
        long[] reference = {100, 100, 100, 100};
        assertThat(CheckRunner.psi(reference, new long[]{25, 25, 25, 25})).isZero();
        double small = CheckRunner.psi(reference, new long[]{30, 25, 25, 20});
        double large = CheckRunner.psi(reference, new long[]{0, 0, 20, 80});
        assertThat(small).isBetween(0.0, 0.1);
        assertThat(large).isGreaterThan(1.0);
    }
}

package io.refinery.forecasting.flags;

import io.refinery.forecasting.ForecastingConfiguration;
import io.refinery.forecasting.LeadTimeAnomalies;
import io.refinery.forecasting.LeadTimeAnomaly;
import io.refinery.warehouse.WarehouseConfiguration;
import io.refinery.warehouse.cleaned.CleanedRows.PurchaseOrderLine;
import io.refinery.warehouse.cleaned.CleanedRows.Receipt;
import io.refinery.warehouse.cleaned.CleanedWriter;
import io.refinery.warehouse.cleaned.Lineage;
import io.refinery.warehouse.test.TestWarehouseInitializer;
import org.junit.jupiter.api.Test;
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
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Lead times scored as receipts land, on the real warehouse: the very late ones are flagged. */
@SpringJUnitConfig(classes = {WarehouseConfiguration.class, ForecastingConfiguration.class},
        initializers = TestWarehouseInitializer.class)
@TestPropertySource(properties = {"refinery.forecasting.schedule=-", "refinery.forecasting.data-trigger-interval=1h",
        "refinery.forecasting.lead-time-poll=1h", "refinery.forecasting.lead-time-retrain=-"})
class LeadTimeFlagServiceTest {

    @Autowired
    CleanedWriter cleaned;
    @Autowired
    LeadTimeFlagService service;
    @Autowired
    LeadTimeAnomalies anomalies;

    @Test
    void receiptsFarLaterThanTheirLaneUsuallyAreFlaggedWithRangeAndDriversAndCanBeAcknowledged() {
        Random random = new Random(7);
        Instant now = Instant.now();
        List<PurchaseOrderLine> lines = new ArrayList<>();
        List<Receipt> receipts = new ArrayList<>();
        List<String> late = new ArrayList<>();
        UUID batch = UUID.randomUUID();
        for (int i = 0; i < 900; i++) {
            // 600 receipts older than a year train the forest, 300 recent ones are scored as they land
            Instant ordered = now.minus(Duration.ofDays(i < 600 ? 1000 - i : 300 - (i - 600)));
            String supplier = "SUP-" + (i % 3);
            double leadDays = 10 + 2 * (i % 3) + random.nextGaussian();
            boolean anomalous = i >= 600 && i % 40 == 0;
            if (anomalous) {
                leadDays *= 3.5;
                late.add("PO-" + i);
            }
            lines.add(new PurchaseOrderLine("PO-" + i, supplier, "SKU-" + (i % 7), "LOC-" + (i % 2),
                    BigDecimal.valueOf(50 + i % 20), ordered, LocalDate.ofInstant(ordered.plus(Duration.ofDays(12)),
                    ZoneOffset.UTC), new Lineage(batch, i, 1)));
            receipts.add(new Receipt("R-" + i, "PO-" + i, BigDecimal.valueOf(50 + i % 20),
                    ordered.plus(Duration.ofMinutes((long) (leadDays * 24 * 60))), new Lineage(batch, 1000 + i, 1)));
        }
        cleaned.writePurchaseOrderLines(lines);
        cleaned.writeReceipts(receipts);

        int flagged = service.scoreNewReceipts();
        int again = service.scoreNewReceipts();

        List<LeadTimeAnomaly> found = anomalies.find(new LeadTimeAnomalies.Query(null, null, null, null, null, null, 0, 1000));
        assertThat(flagged).isEqualTo(found.size()).isPositive();
        assertThat(again).as("each receipt is scored once").isZero();
        long truePositives = found.stream().filter(a -> late.contains(a.poLineId())).count();
        assertThat(truePositives).as("late lines flagged").isGreaterThanOrEqualTo(late.size() * 8L / 10);
        assertThat(found.size()).as("flags stay rare: the threshold follows the 3 % contamination").isLessThanOrEqualTo(30);
        long lateAmongTopScores = found.stream().sorted((a, b) -> Double.compare(b.score(), a.score()))
                .limit(late.size()).filter(a -> late.contains(a.poLineId())).count();
        assertThat(lateAmongTopScores).as("the late lines score highest").isGreaterThanOrEqualTo(late.size() * 3L / 4);
        LeadTimeAnomaly first = found.stream().filter(a -> late.contains(a.poLineId())).findFirst().orElseThrow();
        assertThat(first.leadTimeDays()).isGreaterThan(first.expectedHighDays());
        assertThat(first.drivers()).isNotEmpty();
        assertThat(first.modelVersion()).startsWith("lt-if-");

        assertThat(anomalies.acknowledge(first.poLineId(), "planner")).isTrue();
        assertThat(anomalies.find(first.poLineId()).orElseThrow().acknowledgedBy()).isEqualTo("planner");
        assertThat(anomalies.count(new LeadTimeAnomalies.Query(null, null, null, null, null, false, 0, 10)))
                .isEqualTo(found.size() - 1);
        assertThat(anomalies.acknowledge("no-such-line", "planner")).isFalse();
    }
}

package io.refinery.forecasting.leadtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LeadTimeAnomalyDetectorTest {

    private static final Instant START = Instant.parse("2024-01-01T08:00:00Z");

    /** Two lanes, a fast domestic one (~6 days) and a slow overseas one (~40 days), one PO per lane and day. */
    private record History(List<PurchaseOrderLine> lines, List<Receipt> receipts) {
    }

    private static History history(int days, long seed) {
        Random random = new Random(seed);
        var lines = new ArrayList<PurchaseOrderLine>();
        var receipts = new ArrayList<Receipt>();
        for (int day = 0; day < days; day++) {
            for (String supplier : List.of("FAST", "SLOW")) {
                double median = supplier.equals("FAST") ? 6 : 40;
                Instant orderedAt = START.plus(Duration.ofDays(day));
                String id = supplier + "-" + day;
                LocalDate promised = LocalDate.ofInstant(orderedAt, ZoneOffset.UTC).plusDays((long) (median * 1.2));
                lines.add(new PurchaseOrderLine(id, supplier, "SKU1", "LOC1", 100, orderedAt, promised));
                double leadDays = median * Math.exp(0.12 * random.nextGaussian());
                receipts.add(new Receipt(id + "-R", id, 100, orderedAt.plusSeconds((long) (leadDays * 86_400))));
            }
        }
        return new History(lines, receipts);
    }

    private static LeadTimeAnomalyDetector trained() {
        History history = history(300, 1);
        return LeadTimeAnomalyDetector.train(history.lines(), history.receipts(), LeadTimeDetectorSettings.defaults());
    }

    private static PurchaseOrderLine line(String id, String supplier, Instant orderedAt, int promisedInDays) {
        return new PurchaseOrderLine(id, supplier, "SKU1", "LOC1", 100, orderedAt,
                LocalDate.ofInstant(orderedAt, ZoneOffset.UTC).plusDays(promisedInDays));
    }

    @Test
    void aLateFastLaneDeliveryIsFlaggedWhileATypicalOneIsNot() {
        var detector = trained();
        Instant orderedAt = START.plus(Duration.ofDays(400));

        // 20 days is ordinary for the overseas lane but three times the domestic lane's norm.
        var late = line("FAST-late", "FAST", orderedAt, 7);
        LeadTimeFlag lateFlag = detector.score(late, new Receipt("late-R", late.poLineId(), 100,
                orderedAt.plus(Duration.ofDays(20))));
        var typical = line("FAST-ok", "FAST", orderedAt, 7);
        LeadTimeFlag typicalFlag = detector.score(typical, new Receipt("ok-R", typical.poLineId(), 100,
                orderedAt.plus(Duration.ofDays(6))));

        assertThat(lateFlag.anomalous()).isTrue();
        assertThat(typicalFlag.anomalous()).isFalse();
        assertThat(lateFlag.score()).isGreaterThan(typicalFlag.score());
        assertThat(lateFlag.expectedLeadTime().p5Days()).isBetween(4.0, 6.0);
        assertThat(lateFlag.expectedLeadTime().p95Days()).isBetween(6.0, 9.0);
        assertThat(lateFlag.drivers()).isNotEmpty();
        assertThat(lateFlag.drivers().getFirst().feature()).containsAnyOf("lead_time", "delay");
        assertThat(lateFlag.modelVersion()).isEqualTo(detector.version().id());
    }

    @Test
    void scoredReceiptsJoinTheHistoryOnlyAfterTheyAreScored() {
        var detector = trained();
        Instant orderedAt = START.plus(Duration.ofDays(400));
        var line = line("NEW-1", "NEWCO", orderedAt, 10);
        LeadTimeFlag first = detector.score(line, new Receipt("NEW-1-R", "NEW-1", 100, orderedAt.plus(Duration.ofDays(9))));
        assertThat(first.expectedLeadTime().basedOnReceipts()).isZero();

        var next = line("NEW-2", "NEWCO", orderedAt, 10);
        LeadTimeFlag second = detector.score(next, new Receipt("NEW-2-R", "NEW-2", 100, orderedAt.plus(Duration.ofDays(10))));
        assertThat(second.expectedLeadTime().basedOnReceipts()).isEqualTo(1);
    }

    @Test
    void versionIsAContentHashOfConfigurationAndData() {
        History history = history(120, 2);
        var settings = LeadTimeDetectorSettings.defaults();
        var first = LeadTimeAnomalyDetector.train(history.lines(), history.receipts(), settings);
        var again = LeadTimeAnomalyDetector.train(history.lines(), history.receipts(), settings);
        var reseeded = LeadTimeAnomalyDetector.train(history.lines(), history.receipts(), settings.withSeed(7));
        History other = history(120, 3);
        var otherData = LeadTimeAnomalyDetector.train(other.lines(), other.receipts(), settings);

        assertThat(again.version().id()).isEqualTo(first.version().id()).startsWith("lt-if-");
        assertThat(reseeded.version().id()).isNotEqualTo(first.version().id());
        assertThat(otherData.version().id()).isNotEqualTo(first.version().id());
        assertThat(first.version().trainingReceipts()).isEqualTo(240);
        assertThat(first.provenance().getTrainerProvenance().getConfiguredParameters()).containsKey("seed");
        assertThat(first.version().provenance()).contains("sha256=");
    }
}

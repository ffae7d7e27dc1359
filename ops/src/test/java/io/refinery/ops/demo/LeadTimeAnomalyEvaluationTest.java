package io.refinery.ops.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.refinery.forecasting.leadtime.LeadTimeAnomalyDetector;
import io.refinery.forecasting.leadtime.LeadTimeDetectorSettings;
import io.refinery.forecasting.leadtime.LeadTimeFlag;
import io.refinery.forecasting.leadtime.PurchaseOrderLine;
import io.refinery.forecasting.leadtime.Receipt;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scores the demo's receipts the way the service would: train on the first year, then stream the
 * second year's receipts through the detector one by one, and compare the flags with the injected
 * late-delivery anomalies. A PO line's score is the highest of its receipts' scores.
 */
class LeadTimeAnomalyEvaluationTest {

    private static final Instant SPLIT = Instant.parse("2025-01-01T00:00:00Z");

    private record Scored(String poLineId, double score, boolean flagged, boolean anomalous) {
    }

    @Test
    void detectorFindsTheInjectedLateDeliveries() {
        DemoHistory history = DemoSupplyChain.withSeed(42).history(LocalDate.of(2024, 1, 1), LocalDate.of(2026, 1, 1));
        Map<String, PurchaseOrderLine> lines = new HashMap<>();
        history.records(DemoEntity.PURCHASE_ORDER_LINES).forEach(r -> lines.put(r.get("po_line_id"),
                new PurchaseOrderLine(r.get("po_line_id"), r.get("supplier"), r.get("sku"), r.get("location"),
                        Double.parseDouble(r.get("quantity")), Instant.parse(r.get("ordered_at")),
                        LocalDate.parse(r.get("promised_date")))));
        List<Receipt> receipts = new ArrayList<>(history.records(DemoEntity.RECEIPTS)
                .map(r -> new Receipt(r.get("receipt_id"), r.get("po_line_id"), Double.parseDouble(r.get("quantity")),
                        Instant.parse(r.get("received_at"))))
                .toList());
        receipts.sort(Comparator.comparing(Receipt::receivedAt).thenComparing(Receipt::receiptId));
        Set<String> truth = history.anomalousPoLineIds();

        List<Receipt> training = receipts.stream().filter(r -> r.receivedAt().isBefore(SPLIT)).toList();
        long trainingStarted = System.nanoTime();
        var detector = LeadTimeAnomalyDetector.train(lines.values(), training, LeadTimeDetectorSettings.defaults());
        double trainingSeconds = (System.nanoTime() - trainingStarted) / 1e9;

        Map<String, Scored> byLine = new HashMap<>();
        long scoringStarted = System.nanoTime();
        int scoredReceipts = 0;
        for (Receipt receipt : receipts) {
            if (receipt.receivedAt().isBefore(SPLIT)) {
                continue;
            }
            LeadTimeFlag flag = detector.score(lines.get(receipt.poLineId()), receipt);
            scoredReceipts++;
            byLine.merge(receipt.poLineId(),
                    new Scored(receipt.poLineId(), flag.score(), flag.anomalous(), truth.contains(receipt.poLineId())),
                    (a, b) -> new Scored(a.poLineId(), Math.max(a.score(), b.score()), a.flagged() || b.flagged(),
                            a.anomalous()));
        }
        double scoringSeconds = (System.nanoTime() - scoringStarted) / 1e9;

        List<Scored> scored = new ArrayList<>(byLine.values());
        long positives = scored.stream().filter(Scored::anomalous).count();
        long flagged = scored.stream().filter(Scored::flagged).count();
        long truePositives = scored.stream().filter(s -> s.flagged() && s.anomalous()).count();
        double precision = flagged == 0 ? 0 : (double) truePositives / flagged;
        double recall = (double) truePositives / positives;
        double prAuc = averagePrecision(scored);

        System.out.printf("lead-time anomalies: %d training receipts (%.2fs), %d scored receipts of %d PO lines "
                        + "(%.2fs), %d injected anomalies, %d flagged%n", training.size(), trainingSeconds,
                scoredReceipts, scored.size(), scoringSeconds, positives, flagged);
        System.out.printf("lead-time anomalies: precision=%.3f recall=%.3f PR-AUC=%.3f (model %s)%n", precision,
                recall, prAuc, detector.version().id());

        assertThat(positives).isGreaterThan(100);
        assertThat(prAuc).isGreaterThanOrEqualTo(0.9);
        assertThat(precision).isGreaterThan(0.5);
        assertThat(recall).isGreaterThan(0.5);
    }

    /** Area under the precision-recall curve as average precision: mean precision at each true positive. */
    private static double averagePrecision(List<Scored> scored) {
        List<Scored> ranked = scored.stream().sorted(Comparator.comparingDouble(Scored::score).reversed()).toList();
        long positives = ranked.stream().filter(Scored::anomalous).count();
        double sum = 0;
        int truePositives = 0;
        for (int rank = 0; rank < ranked.size(); rank++) {
            if (ranked.get(rank).anomalous()) {
                truePositives++;
                sum += (double) truePositives / (rank + 1);
            }
        }
        return sum / positives;
    }
}
